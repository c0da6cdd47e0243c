using System.Diagnostics.Metrics;
using Complaints.Domain;
using JasperFx;
using JasperFx.Events;

namespace Complaints.Api.Commanding;

/// <summary>
/// What the command path counts, whether a command came over HTTP or the queue: each command by its outcome, and each
/// service promise recorded as missed. Exported with the API's other metrics (see Operations/Telemetry).
/// </summary>
public sealed class CommandMetrics
{
    public const string MeterName = "Complaints";

    public const string Recorded = "recorded";
    public const string Repeated = "repeated";

    private readonly Counter<long> _commands;
    private readonly Counter<long> _missedPromises;

    public CommandMetrics(IMeterFactory meters, IConfiguration configuration)
    {
        var meter = Meter(meters, configuration);
        _commands = meter.CreateCounter<long>("complaints.commands", "{command}",
            "Commands taken by the command path, by command and outcome: recorded, repeated (a key seen before), invalid, refused " +
            "(the complaint's state), not_found, stale (If-Match), key_reused, conflict (a concurrent writer), unavailable, cancelled, failed");
        _missedPromises = meter.CreateCounter<long>("complaints.service_promises.missed", "{promise}",
            "Service promises recorded as missed, by promise");
    }

    /// <summary>
    /// The API's meter, tagged with the database it works on: one process may run APIs over several databases (the tests
    /// do), and each keeps counts of its own.
    /// </summary>
    public static Meter Meter(IMeterFactory meters, IConfiguration configuration) => meters.Create(new MeterOptions(MeterName)
    {
        Tags = [new("database", new Npgsql.NpgsqlConnectionStringBuilder(configuration.GetConnectionString(DatabaseConnection.Name)).Database ?? "")],
    });

    public void Taken(string command, string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts the missed promises among events just committed.</summary>
    public void Committed(IEnumerable<object> events)
    {
        foreach (var missed in events.OfType<ServicePromiseMissed>())
            _missedPromises.Add(1, new KeyValuePair<string, object?>("promise", missed.Promise.ToString()));
    }

    /// <summary>The outcome of a command that threw, in the words of the answer the caller gets.</summary>
    public static string OutcomeOf(Exception exception) => exception switch
    {
        ComplaintCommandInvalid => "invalid",
        ComplaintCommandRefused => "refused",
        ComplaintCommandForbidden => "forbidden",
        ComplaintNotFound => "not_found",
        StaleVersion => "stale",
        IdempotencyKeyReused => "key_reused",
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.StreamLockedException
            or JasperFx.Events.StreamLockedException => "conflict",
        OperationCanceledException => "cancelled",
        _ when StoreErrors.IsUnavailable(exception) => "unavailable",
        _ => "failed",
    };
}

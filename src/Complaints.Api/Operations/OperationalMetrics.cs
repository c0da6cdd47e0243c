using System.Diagnostics.Metrics;
using Complaints.Api.Analytics;
using Complaints.Api.Commanding;
using Marten;

namespace Complaints.Api.Operations;

/// <summary>
/// The figures read from the database, as gauges: how far each async projection trails the last event appended, how
/// many messages wait on each queue, and how many dead letters are kept: the figures of /api/admin/projections and
/// /api/admin/messaging, read again before each scrape of /metrics; a periodic exporter
/// (OTLP) gets the last ones read, refreshed in the background when they are older than <see cref="MaxAge"/>.
/// </summary>
public sealed class OperationalMetrics
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly IServiceProvider _services;
    private readonly IConfiguration _configuration;
    private readonly ILogger<OperationalMetrics> _log;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Figures _figures = new([], [], 0, DateTimeOffset.MinValue);

    private sealed record Figures(IReadOnlyList<(string Projection, long Lag)> Projections, IReadOnlyList<QueueDepth> Queues, long DeadLetters,
        DateTimeOffset ReadAt);

    /// <summary>The store is found when the figures are first read: a command of the command line makes these gauges too.</summary>
    public OperationalMetrics(IMeterFactory meters, IServiceProvider services, IConfiguration configuration, ILogger<OperationalMetrics> log)
    {
        _services = services;
        _configuration = configuration;
        _log = log;
        var meter = CommandMetrics.Meter(meters, configuration);
        meter.CreateObservableGauge("complaints.projection.lag", () => Current().Projections.Select(p =>
                new Measurement<long>(p.Lag, new KeyValuePair<string, object?>("projection", p.Projection))),
            "{event}", "Events appended to the store that an async projection has not yet projected");
        meter.CreateObservableGauge("complaints.queue.depth", () => Current().Queues.Select(q =>
                new Measurement<long>(q.Waiting, new KeyValuePair<string, object?>("queue", q.Queue))),
            "{message}", "Messages waiting on a queue: commands for the API, integration events for their subscribers");
        meter.CreateObservableGauge("complaints.dead_letters", () => new Measurement<long>(Current().DeadLetters),
            "{message}", "Messages kept as dead letters, not yet replayed or discarded");
    }

    /// <summary>Reads the figures afresh; a database that does not answer leaves the last ones in place.</summary>
    public async Task Refresh(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            var lags = await ProjectionStatusEndpoints.Lags(_services.GetRequiredService<IDocumentStore>(), ct);
            var messaging = await MessagingStatusEndpoint.Read(_services.GetRequiredService<AnalyticsDatabase>(), _configuration, ct);
            _figures = new Figures(lags, messaging.Queues, messaging.DeadLetters.Sum(d => d.Count), DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "The operational figures could not be read; the metrics keep the last ones read");
        }
        finally
        {
            _reading.Release();
        }
    }

    private Figures Current()
    {
        var figures = _figures;
        if (DateTimeOffset.UtcNow - figures.ReadAt > MaxAge && _reading.CurrentCount > 0) _ = Task.Run(() => Refresh(CancellationToken.None));
        return figures;
    }
}

using System.Net;
using Alba;
using Complaints.Api.Tests.Messaging;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// An API over a database of its own, each of its settings away from its default, so that a setting read from the
/// wrong place, or not at all, shows: one re-review round, a late-entry grace of two hours, one command at a time on
/// the database, integration events fanned out to two queues (which nobody reads here), and two lookups a minute per
/// address. Its promises are the real ones.
/// </summary>
public sealed class ConfiguredKnobsHost : IAsyncLifetime
{
    public const int ReReviewRounds = 1;
    public static readonly TimeSpan LateEntryGrace = TimeSpan.FromHours(2);
    public static readonly string[] EventQueues = ["events-crm", "events-archive"];
    public const int TrackingLookups = 2;

    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_knobs");
        Host = await MessagingFixture.StartApi(ConnectionString, TimeProvider.System, new Dictionary<string, string>
        {
            ["Complaints:ReReview:MaxRounds"] = ReReviewRounds.ToString(),
            ["Complaints:Promises:LateEntryGrace"] = LateEntryGrace.ToString(),
            ["Complaints:Http:MaxConcurrentCommands"] = "1",
            ["Complaints:IntegrationEvents:Queues:0"] = EventQueues[0],
            ["Complaints:IntegrationEvents:Queues:1"] = EventQueues[1],
            ["Complaints:Tracking:PermitLimit"] = TrackingLookups.ToString(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

public sealed class ConfiguredKnobsTests(ConfiguredKnobsHost knobs) : IClassFixture<ConfiguredKnobsHost>
{
    private readonly Staff _staff = new(knobs.Host);

    [Fact]
    public async Task with_one_re_review_round_the_second_unsatisfied_follow_up_goes_to_a_higher_level()
    {
        var id = await _staff.AwaitingReReview();
        await _staff.Reviewer.Do(id, "re-review", new { revisedPlan = "replace the pipe", at = At(100) });
        await _staff.Handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "Replaced.", at = At(120) });

        var exhausted = await _staff.Dispatcher.Do(id, "follow-up", new { satisfied = false, score = 1, at = At(192) });
        Text(exhausted["status"]).ShouldBe("EscalatedToHigherLevel");
        Int(exhausted["reReviewRound"]).ShouldBe(ConfiguredKnobsHost.ReReviewRounds);
    }

    [Fact]
    public async Task a_promise_already_past_when_entered_is_checked_after_the_configured_grace()
    {
        // History entered days late by a trusted service: the due it names has passed before the step is recorded.
        var service = _staff.Intake.As("service.history");
        var receivedAt = DateTimeOffset.UtcNow.AddDays(-3);
        var id = await service.ReceiveId(NewComplaint(receivedAt: receivedAt));
        await service.Do(id, "accept", new { at = receivedAt.AddHours(1) });
        var dueAt = DateTimeOffset.UtcNow.AddDays(-1);

        var before = DateTimeOffset.UtcNow;
        var (_, timers) = await MessagingFixture.TimersSetBy(knobs.Host,
            () => service.Do(id, "assign", new { department = Staff.Department, handler = "handler.li", dueAt, at = receivedAt.AddHours(2) }), id);
        var after = DateTimeOffset.UtcNow;

        var (timer, at) = timers.Single(t => t.Timer.Promise == Domain.ServicePromise.Resolution);
        timer.DueAt.ShouldBe(dueAt);
        at.ShouldBeInRange(before + ConfiguredKnobsHost.LateEntryGrace, after + ConfiguredKnobsHost.LateEntryGrace);
    }

    [Fact]
    public async Task with_one_command_at_a_time_a_command_waits_while_another_holds_the_database()
    {
        var held = await _staff.Received();
        await using var connection = new Npgsql.NpgsqlConnection(knobs.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        // The stream's row lock, which a command on that complaint waits for while it holds the one permit.
        await using (var lockStream = new Npgsql.NpgsqlCommand("select id from complaints.mt_streams where id = @id for update", connection, transaction))
        {
            lockStream.Parameters.AddWithValue("id", held);
            await lockStream.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        var waiting = _staff.Dispatcher.Do(held, "accept");
        // The stalled command has taken the permit once it waits on the lock.
        await MessagingFixture.Eventually(async () => (long)(await TestSql.Scalar(knobs.ConnectionString,
            "select count(*) from pg_locks where not granted and locktype = 'transactionid'") ?? 0L) > 0, "the accept waits on the stream's lock");
        var other = _staff.Received();
        (await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken))).ShouldNotBe(other,
            "a command on another complaint waits for the one permit");

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        Text((await waiting)["status"]).ShouldBe("Accepted");
        await other;
    }

    [Fact]
    public async Task an_integration_event_goes_to_every_configured_queue()
    {
        var id = await _staff.Received();

        foreach (var queue in ConfiguredKnobsHost.EventQueues)
        {
            var table = $"wolverine_queues.wolverine_queue_{queue.Replace('-', '_')}";
            await MessagingFixture.Eventually(async () => (long)(await TestSql.Scalar(knobs.ConnectionString,
                    $"select count(*) from {table} where position(convert_to(@id, 'UTF8') in body) > 0", ("id", id.ToString())) ?? 0L) == 1,
                $"ComplaintReceived waits on {queue}");
        }
    }

    [Fact]
    public async Task an_address_past_the_configured_lookups_is_refused_with_429()
    {
        async Task<int> Lookup(string trackingNumber) => (await knobs.Host.Scenario(s =>
        {
            s.Post.Json(new { code = "0000-0000-0000-0000" }).ToUrl($"/api/track/{trackingNumber}");
            s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse("10.30.0.1"));
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode;

        for (var i = 0; i < ConfiguredKnobsHost.TrackingLookups; i++) (await Lookup($"C-1990-{i:D6}")).ShouldNotBe(429);
        (await Lookup("C-1990-000099")).ShouldBe(429);
    }
}

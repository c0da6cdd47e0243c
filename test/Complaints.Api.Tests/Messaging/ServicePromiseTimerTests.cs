using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Commanding;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Shouldly;
using Wolverine;
using Wolverine.Tracking;
using static Complaints.Api.Tests.Support.ComplaintsApi;
using V1 = Complaints.Contracts.V1;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// Service promises on timers. Each step that starts a promise schedules a durable timer for its due; the tests see the
/// timer in Wolverine's tracked session, move the API's clock to the due and let the timer go off, instead of waiting.
/// The property hotline's category promises a first response within 3 minutes and a resolution within 2 days.
/// </summary>
[Collection(nameof(MessagingCollection))]
public sealed class ServicePromiseTimerTests(MessagingFixture fixture) : IAsyncLifetime
{
    private const string Hotline = "Property maintenance";
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    private readonly ComplaintsApi _manager = new(fixture.Host, "manager.zhou");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        fixture.Clock.Reset();
        return ValueTask.CompletedTask;
    }

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    private Task<(JsonObject Details, List<(ServicePromiseFellDue Timer, DateTimeOffset At)> Timers)> Tracked(Func<Task<JsonObject>> step, Guid id) =>
        MessagingFixture.TimersSetBy(fixture.Host, step, id);

    /// <summary>The clock moves to just past the due, and the timer goes off as Wolverine would run it then.</summary>
    private async Task GoOff(ServicePromiseFellDue timer)
    {
        var wait = timer.DueAt - Now;
        if (wait > TimeSpan.Zero) fixture.Clock.Advance(wait + TimeSpan.FromSeconds(1));
        // Webhook deliveries of other tests may fail meanwhile (the fixture's webhooks refuse on purpose).
        await fixture.Host.TrackActivity().DoNotAssertOnExceptionsDetected().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(timer);
    }

    private async Task<Guid> AcceptedHotlineCase()
    {
        var id = await _intake.ReceiveId(NewComplaint(receivedAt: Now.AddMinutes(-10)));
        await _dispatcher.Do(id, "accept");
        await _dispatcher.Do(id, "triage", new { category = Hotline, severity = "Medium", priority = "High" });
        return id;
    }

    [Fact]
    public async Task acceptance_records_the_promises_of_the_category_and_schedules_the_resolution_for_its_due()
    {
        var id = await _intake.ReceiveId(NewComplaint(receivedAt: Now.AddMinutes(-10), category: Hotline));
        var (accepted, timers) = await Tracked(() => _dispatcher.Do(id, "accept"), id);

        Text(accepted["promises"]!["firstResponseWithin"]).ShouldBe("00:03:00");
        Text(accepted["promises"]!["resolutionWithin"]).ShouldBe("2.00:00:00");
        var due = Time(accepted["acceptedAt"]).AddDays(2);
        Time(accepted["dueAt"]).ShouldBe(due);
        var (timer, at) = timers.ShouldHaveSingleItem();
        timer.ShouldBe(new ServicePromiseFellDue(id, ServicePromise.Resolution, due));
        at.ShouldBe(due);
    }

    [Fact]
    public async Task a_first_response_not_made_by_its_due_is_recorded_as_missed_shown_overdue_urged_and_told_to_subscribers()
    {
        var id = await AcceptedHotlineCase();
        var (assigned, timers) = await Tracked(() => _dispatcher.Do(id, "assign", new { handler = "handler.li" }), id);
        var due = Time(assigned["assignedAt"]).AddMinutes(3);
        Time(assigned["firstResponseDueAt"]).ShouldBe(due);
        var (timer, at) = timers.ShouldHaveSingleItem();
        (timer.Promise, timer.DueAt, at).ShouldBe((ServicePromise.FirstResponse, due, due));
        (string, string)[] firstResponsesMissed = [Scrape.Of(fixture.ConnectionString), ("promise", "FirstResponse")];
        var before = (await Scrape.Of(fixture.Host)).Value("complaints_service_promises_missed_total", firstResponsesMissed);

        await GoOff(timer);

        // Counted once among the metrics (the tests of this collection run one at a time, over a database of their own).
        (await Scrape.Of(fixture.Host)).Value("complaints_service_promises_missed_total", firstResponsesMissed).ShouldBe(before + 1);
        var missed = await _dispatcher.Get(id);
        var record = missed["missedPromises"]!.AsArray().ShouldHaveSingleItem()!;
        Text(record["promise"]).ShouldBe("FirstResponse");
        Time(record["dueAt"]).ShouldBe(due);
        Int(missed["outstandingMissedPromises"]).ShouldBe(1);
        var history = await _manager.History(id);
        Text(history[^1]!["type"]).ShouldBe("service_promise_missed");
        Text(history[^1]!["user"]).ShouldBe(ServicePromiseCheck.RecordedBy);
        (await Listed("overdue=true&handler=handler.li")).ShouldContain(id);

        // A supervisor urges the case on; the handler then arrives, late.
        var urged = await _manager.Do(id, "urge", new { note = "Get someone to Block 3 now." });
        Text(urged["urgings"]![0]!["note"]).ShouldBe("Get someone to Block 3 now.");
        var responded = await _handler.Do(id, "first-response", new { note = "on site" });
        Time(responded["missedPromises"]![0]!["keptAt"]).ShouldBe(Time(responded["firstResponseAt"]));
        Int(responded["outstandingMissedPromises"]).ShouldBe(0);
        (await Listed("overdue=true&handler=handler.li")).ShouldNotContain(id);

        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(id).OfType<V1.ServicePromiseMissed>().Any()),
            "the subscriber hears of the missed promise");
        var heard = fixture.Events.Of(id).OfType<V1.ServicePromiseMissed>().Single();
        (heard.Promise, heard.DueAt, heard.Handler).ShouldBe(("FirstResponse", due, "handler.li"));

        // Counted in the analysts' tables too.
        await MessagingFixture.Eventually(async () => await Scalar(
            "select count(*) from analytics.missed_promises where complaint_id = @id and promise = 'FirstResponse'", id) == 1
            && await Scalar("select urgings from analytics.complaint_cases where complaint_id = @id", id) == 1,
            "the analytics count the missed promise and the urging");
        var report = Json(await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/reports/monthly/{due.UtcDateTime:yyyy-MM}");
            s.WithRequestHeader(ApiFixture.UserHeader, _manager.User);
            s.StatusCodeShouldBeOk();
        }));
        var firstResponses = report["missedPromises"]!.AsArray().Single(k => Text(k!["key"]) == "FirstResponse")!;
        firstResponses["thisMonth"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task a_timer_for_a_step_that_already_happened_records_nothing()
    {
        var id = await AcceptedHotlineCase();
        var (_, timers) = await Tracked(() => _dispatcher.Do(id, "assign", new { handler = "handler.li" }), id);
        var responded = await _handler.Do(id, "first-response", new { note = "on site in two minutes" });

        await GoOff(timers.Single().Timer);

        var after = await _dispatcher.Get(id);
        Int(after["version"]).ShouldBe(Int(responded["version"]));
        after["missedPromises"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_timer_whose_due_has_moved_records_nothing_and_the_move_sets_a_timer_of_its_own()
    {
        var id = await AcceptedHotlineCase();
        var (assigned, _) = await Tracked(() => _dispatcher.Do(id, "assign", new { handler = "handler.li" }), id);
        await _handler.Do(id, "first-response", new { note = "on site" });
        var oldDue = Time(assigned["dueAt"]);
        var newDue = oldDue.AddDays(5);
        var (_, timers) = await Tracked(() => _dispatcher.Do(id, "extend", new { dueAt = newDue.ToString("O"), reason = "parts on order" }), id);
        timers.ShouldHaveSingleItem().Timer.ShouldBe(new ServicePromiseFellDue(id, ServicePromise.Resolution, newDue));

        await GoOff(new ServicePromiseFellDue(id, ServicePromise.Resolution, oldDue));
        (await _dispatcher.Get(id))["missedPromises"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_resolution_opens_the_follow_up_window_and_a_window_that_ends_without_a_follow_up_is_a_missed_promise()
    {
        var id = await AcceptedHotlineCase();
        await _dispatcher.Do(id, "assign", new { handler = "handler.li" });
        await _handler.Do(id, "first-response", new { note = "on site" });
        var (resolved, timers) = await Tracked(() => _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "Fixed." }), id);

        var resolvedAt = Time(resolved["resolvedAt"]);
        Time(resolved["followUpDueFrom"]).ShouldBe(resolvedAt.AddDays(3));
        Time(resolved["followUpDueBy"]).ShouldBe(resolvedAt.AddDays(5));
        var (timer, at) = timers.ShouldHaveSingleItem();
        (timer.Promise, at).ShouldBe((ServicePromise.FollowUp, resolvedAt.AddDays(5)));
        (await Listed("followUpDue=true&handler=handler.li")).ShouldNotContain(id);

        fixture.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        (await Listed("followUpDue=true&handler=handler.li")).ShouldContain(id);

        await GoOff(timer);
        var missed = await _dispatcher.Get(id);
        Text(missed["missedPromises"]![0]!["promise"]).ShouldBe("FollowUp");
        (await Listed("overdue=true&handler=handler.li")).ShouldContain(id);
    }

    [Fact]
    public async Task a_complainant_not_reached_within_the_reply_window_closes_the_case_as_no_response()
    {
        var id = await AcceptedHotlineCase();
        await _dispatcher.Do(id, "assign", new { handler = "handler.li" });
        await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "Fixed." });
        var (attempted, timers) = await Tracked(() => _dispatcher.Do(id, "follow-up/not-reached", new { note = "no answer at 13800138000" }), id);

        Int(attempted["followUpAttempts"]).ShouldBe(1);
        attempted["followUpDueBy"].ShouldBeNull(); // the office kept its follow-up promise by trying
        var replyBy = Time(attempted["complainantReplyBy"]);
        replyBy.ShouldBe(Time(attempted["lastStepAt"]).AddDays(3));
        var (timer, _) = timers.ShouldHaveSingleItem();
        timer.ShouldBe(new ServicePromiseFellDue(id, ServicePromise.ComplainantReply, replyBy));

        await GoOff(timer);

        var closed = await _dispatcher.Get(id);
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("NoResponse");
        closed["missedPromises"]!.AsArray().ShouldBeEmpty();
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(id).OfType<V1.ComplaintClosed>().Any()),
            "the subscriber hears of the closing");
        fixture.Events.Of(id).OfType<V1.ComplaintClosed>().Single().Reason.ShouldBe("NoResponse");
    }

    [Fact]
    public async Task a_timer_delivered_twice_records_the_miss_once()
    {
        var id = await AcceptedHotlineCase();
        var (_, timers) = await Tracked(() => _dispatcher.Do(id, "assign", new { handler = "handler.li" }), id);
        await GoOff(timers.Single().Timer);
        await GoOff(timers.Single().Timer);
        (await _dispatcher.Get(id))["missedPromises"]!.AsArray().Count.ShouldBe(1);
    }

    private async Task<long> Scalar(string sql, Guid id)
    {
        try
        {
            return Convert.ToInt64(await TestSql.Scalar(fixture.ConnectionString, sql, ("id", id)) ?? 0L);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return -1; // the daemon has not created its tables yet
        }
    }

    private async Task<List<Guid>> Listed(string query)
    {
        var page = Json(await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints?{query}&pageSize=200");
            s.WithRequestHeader(ApiFixture.UserHeader, _dispatcher.User);
            s.StatusCodeShouldBeOk();
        }));
        return page["items"]!.AsArray().Select(i => Guid.Parse(Text(i!["id"]))).ToList();
    }
}

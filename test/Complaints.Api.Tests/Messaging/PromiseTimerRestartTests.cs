using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// Timers are durable: one scheduled by an API that then stops goes off in the API started after it. A database of its
/// own, so that no other host is there to run the timer in between.
/// </summary>
public sealed class PromiseTimerRestartTests
{
    private static readonly Dictionary<string, string> Drill = new()
    {
        ["Complaints:Promises:ByCategory:Restart drill:FirstResponseWithin"] = "00:00:08",
    };

    [Fact]
    public async Task a_timer_scheduled_before_a_restart_goes_off_after_it_and_records_the_miss_once()
    {
        var database = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_restart");
        Guid id;
        await using (var before = await MessagingFixture.StartApi(database, TimeProvider.System, Drill))
        {
            var api = new ComplaintsApi(before, "dispatcher.chen");
            id = await new ComplaintsApi(before, "intake.amy").ReceiveId(NewComplaint(receivedAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
            await api.Do(id, "accept");
            await api.Do(id, "triage", new { category = "Restart drill", severity = "Low", priority = "Normal" });
            await api.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li" });
            await before.StopAsync();
        }

        // The first API stopped before the due: the timer waits in the database, nothing recorded yet.
        // Both of the case's timers wait: the resolution's (two days) and the first response's (8 s).
        ((long)(await TestSql.Scalar(database,
            """
            select count(*) from complaints.wolverine_incoming_envelopes
            where status = 'Scheduled' and message_type = @type and position(convert_to(@id, 'UTF8') in body) > 0
            """, ("type", Api.Commanding.ServicePromiseFellDue.MessageName), ("id", id.ToString())))!).ShouldBe(2);
        ((long)(await TestSql.Scalar(database,
            "select count(*) from complaints.mt_events where stream_id = @id and type = 'service_promise_missed'", ("id", id)))!).ShouldBe(0);

        await using var after = await MessagingFixture.StartApi(database, TimeProvider.System, Drill);
        var reader = new ComplaintsApi(after, "auditor.wang");
        await MessagingFixture.Eventually(async () => (await reader.Get(id))["missedPromises"]!.AsArray().Count > 0,
            "the first-response timer goes off after the restart");
        await Task.Delay(1000);
        Types(await reader.History(id)).Count(t => t == "service_promise_missed").ShouldBe(1);
        await after.StopAsync();
    }
}

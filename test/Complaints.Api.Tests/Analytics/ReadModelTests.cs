using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Analytics;

/// <summary>The reviewers' queue and the case list, which supervisors and reviewers work from.</summary>
public sealed class ReadModelTests(ApiFixture fixture)
{
    private readonly Staff _staff = new(fixture.Host, "handler.queue");

    /// <summary>The reviewers' queue as a reviewer reads it; the case list as a dispatcher does.</summary>
    private async Task<JsonNode> Get(string url) => JsonNode.Parse(await (await fixture.Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader(ApiFixture.UserHeader, url.StartsWith("/api/re-reviews") ? _staff.Reviewer.User : _staff.Dispatcher.User);
        s.StatusCodeShouldBeOk();
    })).ReadAsTextAsync())!;

    private async Task<JsonObject?> QueueEntry(Guid id) =>
        (await Get("/api/re-reviews")).AsArray().SingleOrDefault(e => Text(e!["id"]) == id.ToString())?.AsObject();

    private async Task<Guid> Resolved(string category)
    {
        var id = await _staff.Received(NewComplaint(category: category));
        await _staff.Dispatcher.Do(id, "accept");
        await _staff.Dispatcher.Do(id, "assign", new { department = "Queue Dept", handler = _staff.Handler.User });
        await _staff.Handler.Do(id, "resolve", new { remedy = "Repair", description = "patched", reply = "Patched." });
        return id;
    }

    [Fact]
    public async Task a_case_joins_the_re_review_queue_when_unsatisfied_and_leaves_when_re_reviewed_withdrawn_or_escalated()
    {
        var first = await Resolved("Queue");
        var second = await Resolved("Queue");
        (await QueueEntry(first)).ShouldBeNull();

        await _staff.Dispatcher.Do(first, "follow-up", new { satisfied = false, score = 2, comment = "still dripping" });
        await _staff.Dispatcher.Do(second, "follow-up", new { satisfied = false, score = 1, comment = "worse than before" });

        var entry = (await QueueEntry(first)).ShouldNotBeNull();
        entry["round"]!.GetValue<int>().ShouldBe(1);
        entry["lastScore"]!.GetValue<int>().ShouldBe(2);
        Text(entry["lastComment"]).ShouldBe("still dripping");
        Text(entry["unsatisfyingRemedy"]).ShouldBe("Repair");
        entry["waitingHours"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        var queue = (await Get("/api/re-reviews")).AsArray().Select(e => Text(e!["id"])).ToList();
        queue.IndexOf(first.ToString()).ShouldBeLessThan(queue.IndexOf(second.ToString()), "oldest first");

        // Re-reviewed: leaves. Resolved again and unsatisfied again: back in round 2.
        await _staff.Reviewer.Do(first, "re-review", new { revisedPlan = "replace the pipe" });
        (await QueueEntry(first)).ShouldBeNull();
        await _staff.Handler.Do(first, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "Replaced." });
        await _staff.Dispatcher.Do(first, "follow-up", new { satisfied = false, score = 3 });
        (await QueueEntry(first)).ShouldNotBeNull()["round"]!.GetValue<int>().ShouldBe(2);

        // Round 2 re-reviewed, still unsatisfied: no round 3, the case goes to a higher level and stays out.
        await _staff.Reviewer.Do(first, "re-review", new { revisedPlan = "bring in a contractor" });
        await _staff.Handler.Do(first, "resolve", new { remedy = "Compensation", description = "paid for a contractor", amount = 800m, reply = "Compensated." });
        Text((await _staff.Dispatcher.Do(first, "follow-up", new { satisfied = false, score = 1 }))["status"]).ShouldBe("EscalatedToHigherLevel");
        (await QueueEntry(first)).ShouldBeNull();

        // Withdrawn while waiting: leaves.
        (await QueueEntry(second)).ShouldNotBeNull();
        await _staff.Dispatcher.Do(second, "withdraw", new { reason = "moved out" });
        (await QueueEntry(second)).ShouldBeNull();
    }

    [Fact]
    public async Task the_case_list_filters_pages_and_counts()
    {
        var department = "List Dept " + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = await _staff.Received(NewComplaint(channel: i % 2 == 0 ? "Email" : "Phone", receivedAt: Start.AddDays(-30 + i)));
            await _staff.Dispatcher.Do(id, "accept");
            await _staff.Dispatcher.Do(id, "assign", new { department, handler = $"handler.h{i % 2}", dueAt = DateTimeOffset.UtcNow.AddDays(30) });
            ids.Add(id);
        }
        await _staff.Intake.As("handler.h0").Do(ids[4], "resolve", new { remedy = "Apology", description = "apologised", reply = "Sorry." });

        var all = await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&pageSize=2&page=1&sort=receivedAt");
        all["total"]!.GetValue<long>().ShouldBe(5);
        all["items"]!.AsArray().Select(i => Text(i!["id"])).ShouldBe([ids[0].ToString(), ids[1].ToString()]);
        var third = await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&pageSize=2&page=3&sort=receivedAt");
        third["items"]!.AsArray().Select(i => Text(i!["id"])).ShouldBe([ids[4].ToString()]);

        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&channel=Email"))["total"]!.GetValue<long>().ShouldBe(3);
        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&handler=handler.h1"))["total"]!.GetValue<long>().ShouldBe(2);
        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&status=Resolved"))["total"]!.GetValue<long>().ShouldBe(1);
        var receivedFrom = Uri.EscapeDataString(Start.AddDays(-28).ToString("O"));
        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&receivedFrom={receivedFrom}"))["total"]!.GetValue<long>().ShouldBe(3);

        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&overdue=false"))["total"]!.GetValue<long>()
            .ShouldBe(5, "no promise has passed yet");
    }

    [Fact]
    public async Task a_passed_promise_makes_an_unresolved_case_overdue_until_it_is_resolved()
    {
        var department = "Overdue Dept " + Guid.NewGuid().ToString("N")[..8];
        var dispatcher = _staff.Dispatcher;
        var late = await _staff.Received(NewComplaint(receivedAt: DateTimeOffset.UtcNow.AddDays(-10)));
        await dispatcher.Do(late, "accept", new { at = DateTimeOffset.UtcNow.AddDays(-10).AddHours(1) });
        await dispatcher.Do(late, "assign", new { department, handler = "handler.late", dueAt = DateTimeOffset.UtcNow.AddDays(-3), at = DateTimeOffset.UtcNow.AddDays(-10).AddHours(2) });
        var onTime = await _staff.Received();
        await dispatcher.Do(onTime, "accept");
        await dispatcher.Do(onTime, "assign", new { department, handler = "handler.late", dueAt = DateTimeOffset.UtcNow.AddDays(3) });

        var overdue = await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&overdue=true");
        overdue["items"]!.AsArray().Select(i => Text(i!["id"])).ShouldBe([late.ToString()]);
        overdue["items"]![0]!["overdue"]!.GetValue<bool>().ShouldBeTrue();

        await dispatcher.As("handler.late").Do(late, "resolve", new { remedy = "Repair", description = "fixed at last", reply = "Fixed." });
        (await Get($"/api/complaints?department={Uri.EscapeDataString(department)}&overdue=true"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task bad_list_parameters_are_a_400()
    {
        foreach (var query in new[] { "page=0", "pageSize=1000", "sort=colour", "status=Lost", "overdue=maybe" })
            await fixture.Host.Scenario(s => { s.Get.Url("/api/complaints?" + query); s.WithRequestHeader(ApiFixture.UserHeader, _staff.Dispatcher.User); s.StatusCodeShouldBe(400); });
    }
}

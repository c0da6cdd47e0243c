using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class HappyPathTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task a_complaint_goes_from_received_to_closed_satisfied_and_archived()
    {
        var acknowledgement = await _intake.Receive(NewComplaint(category: "Property maintenance"));
        var id = Guid.Parse(Text(acknowledgement["id"]));
        Text(acknowledgement["trackingNumber"]).ShouldMatch(@"^C-2026-\d{6}$");
        acknowledgement["version"]!.GetValue<long>().ShouldBe(1);

        var received = await _intake.Get(id);
        Text(received["status"]).ShouldBe("Received");
        Text(received["complainant"]!["name"]).ShouldBe("Zhang Wei");

        (await _dispatcher.Do(id, "accept", new { at = At(1) }))["status"]!.ToString().ShouldBe("Accepted");
        var triaged = await _dispatcher.Do(id, "triage", new { category = "Property maintenance", severity = "Medium", priority = "High", at = At(2) });
        Text(triaged["severity"]).ShouldBe("Medium");

        // No department named: the routing table sends property maintenance to its department.
        var assigned = await _dispatcher.Do(id, "assign", new { handler = "handler.li", dueAt = At(72), at = At(3) });
        Text(assigned["status"]).ShouldBe("Assigned");
        Text(assigned["department"]).ShouldBe("Property Maintenance");
        Text(assigned["dueAt"]).ShouldNotBeEmpty();

        Text((await _handler.Do(id, "first-response", new { note = "on site", at = At(3.05) }))["status"]).ShouldBe("Investigating");
        (await _handler.Do(id, "evidence", new { kind = "Photo", description = "water stain", party = "complainant", at = At(4) }))["evidenceCount"]!
            .GetValue<int>().ShouldBe(1);
        (await _handler.Do(id, "findings", new { substantiated = true, summary = "cracked pipe upstairs", at = At(5) }))["substantiated"]!
            .GetValue<bool>().ShouldBeTrue();

        var resolved = await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "We replaced the pipe.", at = At(24) });
        Text(resolved["status"]).ShouldBe("Resolved");
        Text(resolved["resolution"]!["remedy"]).ShouldBe("Repair");
        resolved["resolution"]!["firstContact"]!.GetValue<bool>().ShouldBeFalse();
        Text(resolved["publicReply"]).ShouldBe("We replaced the pipe.");

        var closed = await _dispatcher.Do(id, "follow-up", new { satisfied = true, score = 5, rectified = true, comment = "dry now", at = At(96) });
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("Satisfied");
        closed["lastSatisfactionScore"]!.GetValue<int>().ShouldBe(5);

        var archived = await _dispatcher.Do(id, "archive");
        Text(archived["status"]).ShouldBe("Archived");
        archived["version"]!.GetValue<long>().ShouldBe(12);

        var history = await _auditor.History(id);
        history.Select(e => Text(e!["type"])).ShouldBe([
            "complaint_received", "complaint_accepted", "service_promises_given", "complaint_triaged", "complaint_assigned", "first_response_made",
            "evidence_recorded", "findings_recorded", "complaint_resolved", "follow_up_recorded", "complaint_closed", "complaint_archived",
        ]);
        history.Select(e => e!["version"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, 12).Select(v => (long)v));
        history.Select(e => Text(e!["user"])).ShouldBe([
            "intake.amy", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen", "handler.li", "handler.li", "handler.li",
            "handler.li", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen",
        ]);
        DateTimeOffset.Parse(Text(history[0]!["at"])).ShouldBe(Start);
        DateTimeOffset.Parse(Text(history[8]!["at"])).ShouldBe(Start.AddHours(24));
        history.ShouldAllBe(e => DateTimeOffset.Parse(Text(e!["recordedAt"])) > Start);
    }

    [Fact]
    public async Task a_problem_solved_at_once_is_resolved_right_after_acceptance_as_first_contact()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(0.1) });
        var resolved = await _intake.Do(id, "resolve", new { remedy = "Explanation", description = "explained the billing cycle", reply = "Your bill covers two months.", at = At(0.2) });
        resolved["resolution"]!["firstContact"]!.GetValue<bool>().ShouldBeTrue();
        resolved["handler"].ShouldBeNull();
    }

    [Fact]
    public async Task tracking_numbers_are_unique_and_follow_the_year_received()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => Text((await _intake.Receive())["trackingNumber"])));
        numbers.Distinct().Count().ShouldBe(10);
        var old = await _intake.Receive(NewComplaint(receivedAt: new DateTimeOffset(2019, 6, 1, 10, 0, 0, TimeSpan.Zero)));
        Text(old["trackingNumber"]).ShouldStartWith("C-2019-");
    }
}

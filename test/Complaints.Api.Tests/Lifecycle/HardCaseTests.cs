using System.Net;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class HardCaseTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    // The role table's dispatcher is the supervisor who grants extensions.
    private readonly ComplaintsApi _supervisor = new(fixture.Host, "dispatcher.gao");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    private async Task<Guid> Investigating()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", dueAt = At(72), at = At(2) });
        await _handler.Do(id, "first-response", new { at = At(3) });
        return id;
    }

    [Fact]
    public async Task a_hard_case_is_escalated_the_complainant_told_an_expected_date_and_the_due_date_extended()
    {
        var id = await Investigating();

        var escalated = await _handler.Do(id, "escalate", new { reason = "the pipe runs through a load-bearing wall", to = "district housing bureau", at = At(5) });
        Int(escalated["escalationCount"]).ShouldBe(1);
        Text(escalated["status"]).ShouldBe("Investigating");

        var told = await _handler.Do(id, "expected-date", new { expectedBy = At(120), reason = "a structural engineer must inspect", at = At(6) });
        Time(told["expectedBy"]).ShouldBe(Start.AddHours(120));

        var extended = await _supervisor.Do(id, "extend", new { dueAt = At(144), reason = "waiting for the engineer", at = At(7) });
        Time(extended["dueAt"]).ShouldBe(Start.AddHours(144));

        var history = await _auditor.History(id);
        Types(history).TakeLast(3).ShouldBe(["complaint_escalated", "expected_resolution_date_given", "resolution_due_extended"]);
        Time(history[^1]!["data"]!["previousDueAt"]).ShouldBe(Start.AddHours(72));
        Text(history[^1]!["user"]).ShouldBe("dispatcher.gao");
        Text(history[^3]!["data"]!["escalatedTo"]).ShouldBe("district housing bureau");
    }

    [Fact]
    public async Task an_extension_to_an_earlier_date_is_refused_and_the_due_date_stays()
    {
        var id = await Investigating();

        var problem = await _supervisor.Fails(id, "extend", new { dueAt = At(48), reason = "less time", at = At(5) }, HttpStatusCode.Conflict);
        Text(problem["rule"]).ShouldBe("extension-not-later");
        Text(problem["detail"]).ShouldContain("not later than the current one");
        Time((await _dispatcher.Get(id))["dueAt"]).ShouldBe(Start.AddHours(72));
    }
}

using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class ReturnAndReassignTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _department = new(fixture.Host, "handler.wu");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task a_department_returns_a_case_that_is_not_theirs_and_it_is_reassigned_to_another()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        var assigned = await _dispatcher.Do(id, "assign", new { department = "Seed Management Station", handler = "handler.wu", at = At(2) });
        Text(assigned["department"]).ShouldBe("Seed Management Station");

        var returned = await _department.Do(id, "return", new { reason = "a building leak, not a seed matter", at = At(3) });
        Text(returned["status"]).ShouldBe("Accepted");
        returned["department"].ShouldBeNull();
        returned["handler"].ShouldBeNull();
        Int(returned["returnCount"]).ShouldBe(1);

        var reassigned = await _dispatcher.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", at = At(4) });
        Text(reassigned["status"]).ShouldBe("Assigned");
        Text(reassigned["department"]).ShouldBe("Property Maintenance");
        Text(reassigned["handler"]).ShouldBe("handler.li");
        Int(reassigned["returnCount"]).ShouldBe(1);

        var history = await _auditor.History(id);
        Types(history).ShouldBe(["complaint_received", "complaint_accepted", "service_promises_given", "complaint_assigned", "complaint_returned", "complaint_assigned"]);
        var returnedEvent = history[4]!;
        Text(returnedEvent["user"]).ShouldBe("handler.wu");
        Text(returnedEvent["data"]!["department"]).ShouldBe("Seed Management Station");
        Text(returnedEvent["data"]!["reason"]).ShouldBe("a building leak, not a seed matter");
    }
}

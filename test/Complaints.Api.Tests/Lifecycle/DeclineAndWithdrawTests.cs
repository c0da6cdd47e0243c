using System.Net;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class DeclineAndWithdrawTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _complainant = new(fixture.Host, "intake.hotline");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task a_declined_complaint_is_closed_with_the_explanation_as_its_reply_and_can_no_longer_be_resolved()
    {
        var id = await _complainant.ReceiveId();

        var declined = await _dispatcher.Do(id, "decline", new
        {
            reason = "out of scope",
            explanation = "Disputes between tenants and landlords go to the housing tribunal.",
            at = At(1),
        });
        Text(declined["status"]).ShouldBe("Closed");
        Text(declined["closeReason"]).ShouldBe("Declined");
        Text(declined["publicReply"]).ShouldBe("Disputes between tenants and landlords go to the housing tribunal.");
        Text(declined["decline"]!["reason"]).ShouldBe("out of scope");
        Text(declined["decline"]!["explanation"]).ShouldBe("Disputes between tenants and landlords go to the housing tribunal.");

        var problem = await _complainant.Fails(id, "resolve", new { remedy = "Apology", description = "sorry", reply = "Sorry." }, HttpStatusCode.Conflict);
        Text(problem["detail"]).ShouldContain("Declined");
        Text(problem["rule"]).ShouldBe("resolve-not-allowed-when-closed");
        Types(await _auditor.History(id)).ShouldBe(["complaint_received", "complaint_declined", "complaint_closed"]);
    }

    [Fact]
    public async Task a_complainant_may_withdraw_while_the_case_is_investigated()
    {
        var id = await _complainant.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", at = At(2) });
        Text((await _handler.Do(id, "first-response", new { at = At(3) }))["status"]).ShouldBe("Investigating");

        var withdrawn = await _complainant.Do(id, "withdraw", new { reason = "the neighbours fixed it themselves", at = At(5) });
        Text(withdrawn["status"]).ShouldBe("Closed");
        Text(withdrawn["closeReason"]).ShouldBe("Withdrawn");
        Time(withdrawn["closedAt"]).ShouldBe(Start.AddHours(5));

        var history = await _auditor.History(id);
        Types(history).TakeLast(2).ShouldBe(["complaint_withdrawn", "complaint_closed"]);
        Text(history[^2]!["data"]!["reason"]).ShouldBe("the neighbours fixed it themselves");
        Text(history[^1]!["user"]).ShouldBe("intake.hotline");
    }

    [Fact]
    public async Task a_closed_complaint_cannot_be_withdrawn()
    {
        var id = await _complainant.ReceiveId();
        await _dispatcher.Do(id, "decline", new { reason = "duplicate", explanation = "This repeats complaint C-2026-000001.", at = At(1) });

        var problem = await _complainant.Fails(id, "withdraw", new { reason = "never mind" }, HttpStatusCode.Conflict);
        Text(problem["rule"]).ShouldBe("withdraw-after-close");
        Text(problem["detail"]).ShouldContain("Closed (Declined)");
        Text((await _dispatcher.Get(id))["closeReason"]).ShouldBe("Declined");
    }
}

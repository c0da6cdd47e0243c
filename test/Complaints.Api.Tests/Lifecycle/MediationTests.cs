using System.Net;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class MediationTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _mediator = new(fixture.Host, "mediator.sun");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    private async Task<Guid> Assigned()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "assign", new { department = "Property Management Office", handler = "handler.li", at = At(2) });
        return id;
    }

    private async Task<Guid> InMediation()
    {
        var id = await Assigned();
        var assessed = await _mediator.Do(id, "mediation", new { eligible = true, reason = "a civil dispute between neighbours", at = At(3) });
        Text(assessed["status"]).ShouldBe("InMediation");
        assessed["mediation"]!["eligible"]!.GetValue<bool>().ShouldBeTrue();
        Text(assessed["mediation"]!["reason"]).ShouldBe("a civil dispute between neighbours");
        return id;
    }

    [Fact]
    public async Task an_agreement_signed_in_triplicate_resolves_the_case_which_closes_when_the_agreement_is_performed()
    {
        var id = await InMediation();

        var signed = await _mediator.Do(id, "mediation/agreement", new { terms = "the upstairs owner pays for the repair", copies = 3, at = At(48) });
        Text(signed["status"]).ShouldBe("Resolved");
        Text(signed["mediation"]!["agreementTerms"]).ShouldBe("the upstairs owner pays for the repair");
        Int(signed["mediation"]!["copies"]).ShouldBe(3);

        var closed = await _dispatcher.Do(id, "close", new { reason = "AgreementPerformed", note = "repair paid", at = At(240) });
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("AgreementPerformed");
        Types(await _auditor.History(id)).TakeLast(3).ShouldBe(["mediation_assessed", "mediation_agreement_signed", "complaint_closed"]);
    }

    [Fact]
    public async Task a_failed_mediation_refers_the_parties_to_arbitration_and_closes_the_case_as_referred()
    {
        var id = await InMediation();

        var failed = await _mediator.Do(id, "mediation/failure", new { referral = "Arbitration", reason = "no agreement on the amount", at = At(48) });
        Text(failed["status"]).ShouldBe("Closed");
        Text(failed["closeReason"]).ShouldBe("Referred");
        Text(failed["mediation"]!["referral"]).ShouldBe("Arbitration");
        Text(failed["mediation"]!["failureReason"]).ShouldBe("no agreement on the amount");
    }

    [Fact]
    public async Task parties_who_settle_by_themselves_leave_the_case_resolved()
    {
        var id = await InMediation();

        var settled = await _mediator.Do(id, "settlement", new { terms = "they split the cost", at = At(30) });
        Text(settled["status"]).ShouldBe("Resolved");
        Text(settled["mediation"]!["settlementTerms"]).ShouldBe("they split the cost");
        Text(settled["resolution"]!["description"]).ShouldBe("they split the cost");
    }

    [Fact]
    public async Task a_case_not_eligible_for_mediation_stays_where_it_was_with_the_reason_shown()
    {
        var id = await Assigned();

        var assessed = await _mediator.Do(id, "mediation", new { eligible = false, reason = "a public-safety matter; not mediable by law", at = At(3) });
        Text(assessed["status"]).ShouldBe("Assigned");
        assessed["mediation"]!["eligible"]!.GetValue<bool>().ShouldBeFalse();
        Text(assessed["mediation"]!["reason"]).ShouldBe("a public-safety matter; not mediable by law");

        var problem = await _mediator.Fails(id, "mediation/agreement", new { terms = "anything", at = At(4) }, HttpStatusCode.Conflict);
        Text(problem["detail"]).ShouldContain("only a complaint that is InMediation");
    }

    [Fact]
    public async Task an_agreement_in_two_copies_is_refused_naming_the_copies()
    {
        var id = await InMediation();

        var problem = await _mediator.Fails(id, "mediation/agreement", new { terms = "the owner pays", copies = 2, at = At(48) }, HttpStatusCode.BadRequest);
        problem["errors"]!["copies"]!.ToString().ShouldContain("triplicate");
        Text((await _mediator.Get(id))["status"]).ShouldBe("InMediation");
    }
}

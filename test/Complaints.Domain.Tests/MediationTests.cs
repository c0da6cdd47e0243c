namespace Complaints.Domain.Tests;

public class MediationTests
{
    // Eligibility

    public static TheoryData<string> Assessable => States("Accepted", "Assigned", "Investigating");
    public static TheoryData<string> NotAssessable => StatesExcept("Accepted", "Assigned", "Investigating");

    [Theory, MemberData(nameof(Assessable))]
    public void an_eligible_dispute_enters_mediation(string state) =>
        Given(In(state)).When(new AssessMediation(true, " civil dispute between buyer and dealer "))
            .Then(new MediationAssessed(true, "civil dispute between buyer and dealer", Now, User))
            .State.Status.ShouldBe(ComplaintStatus.InMediation);

    [Theory, MemberData(nameof(Assessable))]
    public void a_dispute_not_eligible_for_mediation_goes_on_as_before(string state)
    {
        var before = Given(In(state)).State.Status;
        Given(In(state)).When(new AssessMediation(false, "a criminal matter, per law"))
            .Then(new MediationAssessed(false, "a criminal matter, per law", Now, User))
            .State.Status.ShouldBe(before);
    }

    [Theory, MemberData(nameof(NotAssessable))]
    public void mediation_is_assessed_only_for_a_case_in_hand(string state) =>
        Given(In(state)).When(new AssessMediation(true, "civil")).ThenRefusedIn("mediation", state)
            .Message.ShouldEndWith("can be assessed for mediation");

    [Theory]
    [InlineData(null, "civil", "eligible")]
    [InlineData(true, null, "reason")]
    [InlineData(false, " ", "reason")]
    public void an_assessment_says_whether_and_why(bool? eligible, string? reason, string field) =>
        Given(In("Investigating")).When(new AssessMediation(eligible, reason)).ThenInvalid(field);

    // Agreement in triplicate

    [Fact]
    public void an_agreement_is_signed_in_triplicate_and_resolves_the_case() =>
        Given(In("InMediation")).When(new SignMediationAgreement(" dealer pays 380 yuan by 1 April "))
            .Then(new MediationAgreementSigned("dealer pays 380 yuan by 1 April", 3, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Resolved),
                c => c.ResolvedByAgreement.ShouldBeTrue(),
                c => c.LastRemedy.ShouldBe(Remedy.Other));

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void an_agreement_may_have_more_copies_than_three(int copies) =>
        Given(In("InMediation")).When(new SignMediationAgreement("terms", copies)).Then(new MediationAgreementSigned("terms", copies, Now, User));

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void an_agreement_with_fewer_than_three_copies_is_not_valid(int copies) =>
        Given(In("InMediation")).When(new SignMediationAgreement("terms", copies)).ThenInvalid("copies")
            .Errors["copies"].ShouldHaveSingleItem().ShouldContain("triplicate");

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void an_agreement_has_terms(string? terms) => Given(In("InMediation")).When(new SignMediationAgreement(terms)).ThenInvalid("terms");

    public static TheoryData<string> NotInMediation => StatesExcept("InMediation");

    [Theory, MemberData(nameof(NotInMediation))]
    public void an_agreement_is_signed_only_in_mediation(string state) =>
        Given(In(state)).When(new SignMediationAgreement("terms")).ThenRefusedIn("mediation-agreement", state);

    // Failure: referred to litigation or arbitration

    [Theory]
    [InlineData(Referral.Litigation)]
    [InlineData(Referral.Arbitration)]
    public void failed_mediation_refers_the_parties_elsewhere_and_closes_the_case(Referral referral) =>
        Given(In("InMediation")).When(new RecordMediationFailure(referral, " no agreement on the amount "))
            .Then(new MediationFailed(referral, "no agreement on the amount", Now, User),
                new ComplaintClosed(CloseReason.Referred, $"referred to {referral}", Now, User))
            .State.Describe().ShouldBe("Closed (Referred)");

    [Theory, MemberData(nameof(NotInMediation))]
    public void mediation_fails_only_in_mediation(string state) =>
        Given(In(state)).When(new RecordMediationFailure(Referral.Litigation, "no agreement")).ThenRefusedIn("mediation-failure", state);

    [Theory]
    [InlineData(null, "no agreement", "referral")]
    [InlineData((Referral)7, "no agreement", "referral")]
    [InlineData(Referral.Litigation, null, "reason")]
    public void a_failure_says_where_the_parties_go_and_why(Referral? referral, string? reason, string field) =>
        Given(In("InMediation")).When(new RecordMediationFailure(referral, reason)).ThenInvalid(field);

    // Settlement by the parties themselves

    [Theory]
    [InlineData("InMediation")]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    public void the_parties_may_settle_by_themselves_which_resolves_the_case(string state) =>
        Given(In(state)).When(new RecordSettlement(" dealer exchanges the seed "))
            .Then(new SettledByParties("dealer exchanges the seed", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Resolved),
                c => c.ResolvedByAgreement.ShouldBeTrue());

    public static TheoryData<string> NotSettleable => StatesExcept("InMediation", "Assigned", "Investigating");

    [Theory, MemberData(nameof(NotSettleable))]
    public void a_settlement_is_recorded_only_for_a_case_in_hand(string state) =>
        Given(In(state)).When(new RecordSettlement("terms")).ThenRefusedIn("settlement", state).Message.ShouldEndWith("can be settled");

    [Fact]
    public void a_settlement_has_terms() => Given(In("InMediation")).When(new RecordSettlement("")).ThenInvalid("terms");

    // The path as a whole

    [Fact]
    public void an_agreement_performed_after_mediation_closes_the_case() =>
        Given(In("Investigating")).When(new AssessMediation(true, "civil")).Then(new MediationAssessed(true, "civil", Now, User))
            .When(new SignMediationAgreement("dealer pays 380")).Then(new MediationAgreementSigned("dealer pays 380", 3, Now, User))
            .When(new CloseComplaint(CloseReason.AgreementPerformed, "paid on 1 April"))
            .Then(new ComplaintClosed(CloseReason.AgreementPerformed, "paid on 1 April", Now, User))
            .State.Describe().ShouldBe("Closed (AgreementPerformed)");
}

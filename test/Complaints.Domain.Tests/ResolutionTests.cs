namespace Complaints.Domain.Tests;

public class ResolutionTests
{
    private static ResolveComplaint Refund => new(Remedy.Refund, " dealer refunds the seed ", " Your refund of 380 yuan is on its way. ", 380m);

    private static ComplaintResolved Resolution(bool firstContact) =>
        new(Remedy.Refund, "dealer refunds the seed", 380m, "Your refund of 380 yuan is on its way.", firstContact, Now, User);

    [Fact]
    public void a_problem_solved_right_after_acceptance_is_a_first_contact_resolution() =>
        Given(In("Accepted")).When(Refund).Then(Resolution(firstContact: true))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Resolved),
                c => c.LastRemedy.ShouldBe(Remedy.Refund),
                c => c.ResolvedByAgreement.ShouldBeFalse());

    [Theory]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    [InlineData("EscalatedToHigherLevel")]
    public void a_case_resolved_after_assignment_is_not_first_contact(string state) =>
        Given(In(state)).When(Refund).Then(Resolution(firstContact: false)).State.Status.ShouldBe(ComplaintStatus.Resolved);

    [Fact]
    public void a_returned_case_resolved_before_reassignment_is_not_first_contact() =>
        Given(In("Assigned"), Returned(4)).When(Refund).Then(Resolution(firstContact: false));

    [Fact]
    public void a_case_resolved_again_after_a_re_review_is_not_first_contact() =>
        Given(In("Accepted"), Resolved(2, firstContact: true), FollowUp(3, satisfied: false), ReReviewRequested(3, 1), ReReviewed(4, 1))
            .When(Refund).Then(Resolution(firstContact: false));

    public static TheoryData<string> NotResolvable => StatesExcept("Accepted", "Assigned", "Investigating", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(NotResolvable))]
    public void a_case_is_resolved_only_once_accepted_and_while_open(string state) =>
        Given(In(state)).When(Refund).ThenRefusedIn("resolve", state);

    [Fact]
    public void resolving_a_declined_case_says_which_state_it_is_in_and_which_would_do() =>
        Given(In("Closed (Declined)")).When(Refund).ThenFails("resolve-not-allowed-when-closed")
            .Message.ShouldBe("cannot resolve: complaint is Closed (Declined); only a complaint that is Accepted, Assigned, Investigating or EscalatedToHigherLevel can be resolved");

    [Fact]
    public void a_case_awaiting_re_review_is_resolved_only_after_the_reviewer_revised_the_plan() =>
        Given(In("AwaitingReReview")).When(Refund).ThenRefusedIn("resolve", "AwaitingReReview");

    [Theory]
    [InlineData(Remedy.Apology, null)]
    [InlineData(Remedy.Explanation, null)]
    [InlineData(Remedy.Exchange, null)]
    [InlineData(Remedy.Repair, 120.5)]
    [InlineData(Remedy.Compensation, 1000.0)]
    [InlineData(Remedy.Other, 0.0)]
    public void any_remedy_may_be_carried_out_and_only_money_needs_an_amount(Remedy remedy, double? amount) =>
        Given(In("Investigating")).When(new ResolveComplaint(remedy, "done", "Thank you", (decimal?)amount))
            .Then(new ComplaintResolved(remedy, "done", (decimal?)amount, "Thank you", false, Now, User));

    public static TheoryData<ResolveComplaint, string> InvalidResolutions => new()
    {
        { new ResolveComplaint(null, "done", "thanks"), "remedy" },
        { new ResolveComplaint((Remedy)42, "done", "thanks"), "remedy" },
        { new ResolveComplaint(Remedy.Apology, null, "thanks"), "description" },
        { new ResolveComplaint(Remedy.Apology, " ", "thanks"), "description" },
        { new ResolveComplaint(Remedy.Apology, "done", null), "reply" },
        { new ResolveComplaint(Remedy.Apology, "done", ""), "reply" },
        { new ResolveComplaint(Remedy.Apology, "done", "thanks", -1m), "amount" },
        { new ResolveComplaint(Remedy.Refund, "done", "thanks"), "amount" },
        { new ResolveComplaint(Remedy.Refund, "done", "thanks", 0m), "amount" },
        { new ResolveComplaint(Remedy.Compensation, "done", "thanks"), "amount" },
        { new ResolveComplaint(Remedy.Compensation, "done", "thanks", -5m), "amount" },
    };

    [Theory, MemberData(nameof(InvalidResolutions))]
    public void a_resolution_names_the_remedy_what_was_done_the_reply_and_for_money_the_amount(ResolveComplaint command, string field) =>
        Given(In("Investigating")).When(command).ThenInvalid(field);
}

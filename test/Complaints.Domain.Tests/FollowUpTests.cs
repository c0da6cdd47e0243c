namespace Complaints.Domain.Tests;

/// <summary>The follow-up visit (回访) and the re-review loop (复审).</summary>
public class FollowUpTests
{
    private static readonly ComplaintPolicies OneRound = Policies with { ReReview = new() { MaxRounds = 1 } };

    private static FollowUpRecorded Recorded(bool satisfied, int score, int round, bool rectified = true, string? comment = null) =>
        new(satisfied, score, rectified, comment, round, Now, User);

    // Outcomes of a follow-up

    [Fact]
    public void a_satisfied_follow_up_closes_the_case() =>
        Given(In("Resolved")).When(new RecordFollowUp(true, 5, Comment: "seed replaced, thanks"))
            .Then(Recorded(true, 5, 0, comment: "seed replaced, thanks"), new ComplaintClosed(CloseReason.Satisfied, null, Now, User))
            .State.Describe().ShouldBe("Closed (Satisfied)");

    [Fact]
    public void a_fix_not_carried_out_is_rectified_at_once_by_the_handler() =>
        Given(In("Resolved")).When(new RecordFollowUp(false, 1, Rectified: false, Comment: "no refund yet"))
            .Then(Recorded(false, 1, 0, rectified: false, comment: "no refund yet"), new RectificationOrdered(Handler, "no refund yet", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Assigned),
                c => c.Handler.ShouldBe(Handler),
                c => c.ReReviewRound.ShouldBe(0));

    [Fact]
    public void a_fix_not_carried_out_is_rectified_even_if_the_complainant_says_they_are_satisfied() =>
        Given(In("Resolved")).When(new RecordFollowUp(true, 4, Rectified: false))
            .Then(Recorded(true, 4, 0, rectified: false), new RectificationOrdered(Handler, null, Now, User))
            .State.Status.ShouldBe(ComplaintStatus.Assigned);

    [Fact]
    public void a_first_contact_fix_not_carried_out_goes_back_to_work_without_a_handler() =>
        Given(In("Accepted"), Resolved(2, firstContact: true)).When(new RecordFollowUp(false, 2, Rectified: false))
            .Then(Recorded(false, 2, 0, rectified: false), new RectificationOrdered(null, null, Now, User))
            .State.Status.ShouldBe(ComplaintStatus.Investigating);

    [Fact]
    public void a_rectified_case_is_resolved_and_followed_up_again() =>
        Given(In("Resolved"), FollowUp(7, false, rectified: false), new RectificationOrdered(Handler, null, T(7), Colleague))
            .When(new RecordFirstResponse()).Then(new FirstResponseMade(null, Now, User))
            .When(new ResolveComplaint(Remedy.Refund, "refund paid", "Paid today", 380m)).Then(_ => { })
            .When(new RecordFollowUp(true, 5)).Then(Recorded(true, 5, 0), new ComplaintClosed(CloseReason.Satisfied, null, Now, User));

    [Fact]
    public void unsatisfied_follow_up_opens_a_re_review() =>
        Given(In("Resolved")).When(new RecordFollowUp(false, 2, Comment: "refund too small"))
            .Then(Recorded(false, 2, 0, comment: "refund too small"), new ReReviewRequested(1, 2, "refund too small", Remedy.Refund, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.AwaitingReReview),
                c => c.ReReviewRound.ShouldBe(1));

    [Fact]
    public void an_unsatisfied_follow_up_after_the_first_re_review_opens_the_second() =>
        Given(In("AwaitingReReview"), ReReviewed(8, 1), Resolved(9, Remedy.Compensation)).When(new RecordFollowUp(false, 3))
            .Then(Recorded(false, 3, 1), new ReReviewRequested(2, 3, null, Remedy.Compensation, Now, User));

    [Fact]
    public void unsatisfied_after_the_last_round_goes_to_a_higher_level() =>
        Given(In("AwaitingReReview"), ReReviewed(8, 1), Resolved(9), FollowUp(10, false, round: 1), ReReviewRequested(10, 2), ReReviewed(11, 2), Resolved(12))
            .When(new RecordFollowUp(false, 1, Comment: "still not fixed"))
            .Then(Recorded(false, 1, 2, comment: "still not fixed"), new ComplaintEscalatedToHigherLevel(2, "still not fixed", Now, User))
            .State.Status.ShouldBe(ComplaintStatus.EscalatedToHigherLevel);

    [Fact]
    public void the_rounds_are_configurable_with_one_round_the_second_unsatisfied_follow_up_escalates() =>
        Given(In("AwaitingReReview"), ReReviewed(8, 1), Resolved(9)).With(OneRound).When(new RecordFollowUp(false, 2))
            .Then(Recorded(false, 2, 1), new ComplaintEscalatedToHigherLevel(1, null, Now, User));

    [Fact]
    public void with_one_round_the_first_unsatisfied_follow_up_still_opens_a_re_review() =>
        Given(In("Resolved")).With(OneRound).When(new RecordFollowUp(false, 2))
            .Then(Recorded(false, 2, 0), new ReReviewRequested(1, 2, null, Remedy.Refund, Now, User));

    [Fact]
    public void with_no_rounds_an_unsatisfied_complainant_goes_straight_to_a_higher_level() =>
        Given(In("Resolved")).With(Policies with { ReReview = new() { MaxRounds = 0 } }).When(new RecordFollowUp(false, 2))
            .Then(Recorded(false, 2, 0), new ComplaintEscalatedToHigherLevel(0, null, Now, User));

    [Fact]
    public void a_case_resolved_at_the_higher_level_and_still_unsatisfying_stays_there() =>
        Given(In("EscalatedToHigherLevel"), Resolved(14)).When(new RecordFollowUp(false, 2))
            .Then(Recorded(false, 2, 2), new ComplaintEscalatedToHigherLevel(2, null, Now, User));

    [Fact]
    public void a_satisfied_follow_up_after_a_mediated_agreement_closes_the_case() =>
        Given(In("InMediation"), AgreementSigned(6)).When(new RecordFollowUp(true, 5))
            .Then(Recorded(true, 5, 0), new ComplaintClosed(CloseReason.Satisfied, null, Now, User));

    public static TheoryData<string> NotResolved => StatesExcept("Resolved");

    [Theory, MemberData(nameof(NotResolved))]
    public void only_a_resolved_case_is_followed_up(string state) =>
        Given(In(state)).When(new RecordFollowUp(true, 5)).ThenRefusedIn("follow-up", state).Message.ShouldEndWith("can be followed up");

    [Theory]
    [InlineData(null, 3, "satisfied")]
    [InlineData(true, null, "score")]
    [InlineData(true, 0, "score")]
    [InlineData(false, 6, "score")]
    public void a_follow_up_says_whether_the_complainant_is_satisfied_with_a_score_from_1_to_5(bool? satisfied, int? score, string field) =>
        Given(In("Resolved")).When(new RecordFollowUp(satisfied, score)).ThenInvalid(field);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void scores_1_and_5_are_the_bounds(int score) =>
        Given(In("Resolved")).When(new RecordFollowUp(false, score)).Then(events => events[0].ShouldBeOfType<FollowUpRecorded>().Score.ShouldBe(score));

    [Fact]
    public void a_follow_up_comment_has_a_limit() => Given(In("Resolved")).When(new RecordFollowUp(true, 5, Comment: Text(4001))).ThenInvalid("comment");

    // Re-review

    [Fact]
    public void a_reviewer_revises_the_plan_and_the_case_is_worked_again() =>
        Given(In("AwaitingReReview")).When(new ReReviewComplaint(" refund plus compensation for the lost season ", " sun.li "))
            .Then(new ComplaintReReviewed("sun.li", "refund plus compensation for the lost season", 1, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Investigating),
                c => c.ReReviewRound.ShouldBe(1));

    [Fact]
    public void without_a_named_reviewer_the_user_is_the_reviewer() =>
        Given(In("AwaitingReReview")).When(new ReReviewComplaint("revised plan")).Then(new ComplaintReReviewed(User, "revised plan", 1, Now, User));

    public static TheoryData<string> NotAwaitingReReview => StatesExcept("AwaitingReReview");

    [Theory, MemberData(nameof(NotAwaitingReReview))]
    public void only_a_case_awaiting_re_review_is_re_reviewed(string state) =>
        Given(In(state)).When(new ReReviewComplaint("revised plan")).ThenRefusedIn("re-review", state);

    [Theory]
    [InlineData(null, null, "revisedPlan")]
    [InlineData(" ", null, "revisedPlan")]
    [InlineData("plan", 201, "reviewer")]
    public void a_re_review_revises_the_plan(string? plan, int? reviewerLength, string field) =>
        Given(In("AwaitingReReview")).When(new ReReviewComplaint(plan, reviewerLength is { } n ? Text(n) : null)).ThenInvalid(field);

    // The loop as a whole

    [Fact]
    public void the_re_review_loop_runs_two_rounds_and_then_goes_to_a_higher_level()
    {
        var resolve = new ResolveComplaint(Remedy.Compensation, "compensation paid", "Paid", 500m);
        var resolved = new ComplaintResolved(Remedy.Compensation, "compensation paid", 500m, "Paid", false, Now, User);

        Given(In("Resolved"))
            .When(new RecordFollowUp(false, 2)).Then(Recorded(false, 2, 0), new ReReviewRequested(1, 2, null, Remedy.Refund, Now, User))
            .When(new ReReviewComplaint("compensate", "sun.li")).Then(new ComplaintReReviewed("sun.li", "compensate", 1, Now, User))
            .When(resolve).Then(resolved)
            .When(new RecordFollowUp(false, 3)).Then(Recorded(false, 3, 1), new ReReviewRequested(2, 3, null, Remedy.Compensation, Now, User))
            .When(new ReReviewComplaint("compensate more", "zhou.ming")).Then(new ComplaintReReviewed("zhou.ming", "compensate more", 2, Now, User))
            .When(resolve).Then(resolved)
            .When(new RecordFollowUp(false, 2)).Then(Recorded(false, 2, 2), new ComplaintEscalatedToHigherLevel(2, null, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.EscalatedToHigherLevel),
                c => c.ReReviewRound.ShouldBe(2));
    }

    [Fact]
    public void a_complainant_satisfied_in_the_second_round_closes_the_case_as_satisfied() =>
        Given(In("AwaitingReReview"))
            .When(new ReReviewComplaint("compensate")).Then(_ => { })
            .When(new ResolveComplaint(Remedy.Apology, "apologised in person", "Sorry")).Then(_ => { })
            .When(new RecordFollowUp(true, 4)).Then(Recorded(true, 4, 1), new ComplaintClosed(CloseReason.Satisfied, null, Now, User));
}

namespace Complaints.Domain.Tests;

/// <summary>The write model folded from a history: what decisions see.</summary>
public class FoldTests
{
    private static Complaint Fold(params object[] events) => Complaint.Fold(events).ShouldNotBeNull();

    public static TheoryData<string> Every => States(AllStates);

    [Theory, MemberData(nameof(Every))]
    public void each_history_folds_to_the_state_it_stands_for(string state) => Fold(In(state)).Describe().ShouldBe(state);

    public static TheoryData<string, object, ComplaintStatus> StatusAfter => new()
    {
        { "Received", Accepted(1), ComplaintStatus.Accepted },
        { "Received", Declined(1), ComplaintStatus.Received },
        { "Accepted", Triaged(2), ComplaintStatus.Accepted },
        { "Accepted", Assigned(2), ComplaintStatus.Assigned },
        { "Accepted", Resolved(2, firstContact: true), ComplaintStatus.Resolved },
        { "Accepted", Escalated(2), ComplaintStatus.Accepted },
        { "Assigned", Returned(4), ComplaintStatus.Accepted },
        { "Assigned", Assigned(4, "Township Station"), ComplaintStatus.Assigned },
        { "Assigned", FirstResponse(4), ComplaintStatus.Investigating },
        { "Assigned", Evidence(4), ComplaintStatus.Investigating },
        { "Assigned", Findings(4), ComplaintStatus.Investigating },
        { "Investigating", Assigned(5, "Township Station"), ComplaintStatus.Assigned },
        { "Investigating", Evidence(5), ComplaintStatus.Investigating },
        { "Investigating", Escalated(5), ComplaintStatus.Investigating },
        { "Investigating", ExpectedDateGiven(5), ComplaintStatus.Investigating },
        { "Investigating", Extended(5, DueAt, DueAt.AddDays(3)), ComplaintStatus.Investigating },
        { "Investigating", Resolved(5), ComplaintStatus.Resolved },
        { "Investigating", MediationAssessed(5, eligible: true), ComplaintStatus.InMediation },
        { "Investigating", MediationAssessed(5, eligible: false), ComplaintStatus.Investigating },
        { "Investigating", Settled(5), ComplaintStatus.Resolved },
        { "Investigating", Withdrawn(5), ComplaintStatus.Investigating },
        { "InMediation", Evidence(6), ComplaintStatus.InMediation },
        { "InMediation", AgreementSigned(6), ComplaintStatus.Resolved },
        { "InMediation", Settled(6), ComplaintStatus.Resolved },
        { "InMediation", MediationFailed(6), ComplaintStatus.InMediation },
        { "Resolved", FollowUp(7, satisfied: true), ComplaintStatus.Resolved },
        { "Resolved", new RectificationOrdered(Handler, null, T(7), Colleague), ComplaintStatus.Assigned },
        { "Resolved", ReReviewRequested(7, 1), ComplaintStatus.AwaitingReReview },
        { "Resolved", EscalatedToHigherLevel(7, 2), ComplaintStatus.EscalatedToHigherLevel },
        { "Resolved", Closed(7, CloseReason.NoResponse), ComplaintStatus.Closed },
        { "AwaitingReReview", ReReviewed(8, 1), ComplaintStatus.Investigating },
        { "EscalatedToHigherLevel", Evidence(14), ComplaintStatus.EscalatedToHigherLevel },
        { "EscalatedToHigherLevel", Resolved(14), ComplaintStatus.Resolved },
        { "Closed (Satisfied)", Archived(8), ComplaintStatus.Archived },
    };

    [Theory, MemberData(nameof(StatusAfter))]
    public void the_status_after_each_event(string state, object @event, ComplaintStatus status) =>
        Fold([.. In(state), @event]).Status.ShouldBe(status);

    [Fact]
    public void a_received_complaint_knows_its_id_tracking_number_category_and_receipt_time() =>
        Fold(Received(0)).ShouldSatisfyAllConditions(
            c => c.Id.ShouldBe(Id),
            c => c.TrackingNumber.ShouldBe(TrackingNumber),
            c => c.Status.ShouldBe(ComplaintStatus.Received),
            c => c.Category.ShouldBe("seeds"),
            c => c.ReceivedAt.ShouldBe(T0),
            c => c.LastStepAt.ShouldBe(T0),
            c => c.CloseReason.ShouldBeNull(),
            c => c.IsOpen.ShouldBeTrue(),
            c => c.ReReviewRound.ShouldBe(0));

    [Fact]
    public void a_history_without_its_receipt_folds_to_nothing()
    {
        Complaint.Fold([]).ShouldBeNull();
        Complaint.Fold([Accepted(1), Assigned(2)]).ShouldBeNull();
    }

    [Fact]
    public void triage_replaces_the_category_given_at_receipt() =>
        Fold(Received(0), Accepted(1), Triaged(2, "fertiliser")).Category.ShouldBe("fertiliser");

    [Fact]
    public void an_assignment_records_department_handler_and_due_date_and_a_reassignment_without_one_keeps_it() =>
        Fold([.. In("Assigned"), Assigned(4, "Township Station", "zhou.ping")]).ShouldSatisfyAllConditions(
            c => c.Department.ShouldBe("Township Station"),
            c => c.Handler.ShouldBe("zhou.ping"),
            c => c.DueAt.ShouldBe(DueAt),
            c => c.EverAssigned.ShouldBeTrue());

    [Fact]
    public void a_return_clears_the_department_and_handler_but_remembers_the_case_was_assigned() =>
        Fold([.. In("Assigned"), Returned(4)]).ShouldSatisfyAllConditions(
            c => c.Department.ShouldBeNull(),
            c => c.Handler.ShouldBeNull(),
            c => c.EverAssigned.ShouldBeTrue());

    [Fact]
    public void an_extension_moves_the_due_date() =>
        Fold([.. In("Investigating"), Extended(5, DueAt, DueAt.AddDays(3))]).DueAt.ShouldBe(DueAt.AddDays(3));

    [Fact]
    public void a_rectification_of_a_case_never_assigned_sends_it_back_to_investigation() =>
        Fold(Received(0), Accepted(1), Resolved(2, firstContact: true), new RectificationOrdered(null, null, T(3), Colleague))
            .Status.ShouldBe(ComplaintStatus.Investigating);

    [Fact]
    public void the_last_remedy_and_whether_an_agreement_resolved_the_case_follow_the_latest_resolution()
    {
        Fold([.. In("Investigating"), Resolved(5, Remedy.Repair)]).ShouldSatisfyAllConditions(
            c => c.LastRemedy.ShouldBe(Remedy.Repair), c => c.ResolvedByAgreement.ShouldBeFalse());
        Fold([.. In("InMediation"), AgreementSigned(6)]).ShouldSatisfyAllConditions(
            c => c.LastRemedy.ShouldBe(Remedy.Other), c => c.ResolvedByAgreement.ShouldBeTrue());
        Fold([.. In("InMediation"), AgreementSigned(6), FollowUp(7, false), ReReviewRequested(7, 1), ReReviewed(8, 1), Resolved(9, Remedy.Exchange)])
            .ShouldSatisfyAllConditions(c => c.LastRemedy.ShouldBe(Remedy.Exchange), c => c.ResolvedByAgreement.ShouldBeFalse());
    }

    [Fact]
    public void the_re_review_rounds_are_counted_through_the_loop()
    {
        var history = In("EscalatedToHigherLevel");
        int RoundAfter<T>(int nth) => Fold([.. history[..(IndexOf<T>(history, nth) + 1)]]).ReReviewRound;

        Fold(In("Resolved")).ReReviewRound.ShouldBe(0);
        RoundAfter<ReReviewRequested>(1).ShouldBe(1);
        RoundAfter<ComplaintReReviewed>(1).ShouldBe(1);
        RoundAfter<ComplaintResolved>(2).ShouldBe(1);
        RoundAfter<ReReviewRequested>(2).ShouldBe(2);
        Fold(history).ReReviewRound.ShouldBe(2);
    }

    private static int IndexOf<T>(object[] history, int nth) =>
        history.Select((e, i) => (e, i)).Where(x => x.e is T).Skip(nth - 1).First().i;

    [Fact]
    public void the_last_step_is_the_time_of_the_latest_event() =>
        Fold(In("EscalatedToHigherLevel")).LastStepAt.ShouldBe(T(13));

    [Fact]
    public void an_event_dated_before_the_latest_one_does_not_move_the_last_step_back() =>
        Fold([.. In("Investigating"), Evidence(1)]).LastStepAt.ShouldBe(T(4));

    [Fact]
    public void a_close_records_its_reason_and_archiving_keeps_it()
    {
        Fold(In("Closed (Withdrawn)")).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(ComplaintStatus.Closed), c => c.CloseReason.ShouldBe(CloseReason.Withdrawn), c => c.IsOpen.ShouldBeFalse());
        Fold(In("Archived (Satisfied)")).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(ComplaintStatus.Archived), c => c.CloseReason.ShouldBe(CloseReason.Satisfied), c => c.IsOpen.ShouldBeFalse());
    }

    [Fact]
    public void an_event_the_complaint_does_not_know_leaves_it_as_it_was()
    {
        var before = Fold(In("Investigating"));
        before.After("a note from another stream").ShouldBe(before);
    }

    [Fact]
    public void folding_returns_a_new_value_and_never_changes_the_loaded_complaint()
    {
        var loaded = Fold(In("Assigned"));
        var next = loaded.After(FirstResponse(4));
        loaded.Status.ShouldBe(ComplaintStatus.Assigned);
        next.Status.ShouldBe(ComplaintStatus.Investigating);
    }
}

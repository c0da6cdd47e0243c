namespace Complaints.Domain.Tests;

/// <summary>
/// Service promises: given on acceptance with the terms of the category, each falling due from the step that starts it;
/// a timer records a miss only when the promised step has not happened, and the reply window closes an unreachable case.
/// </summary>
public class ServicePromiseTests
{
    private static readonly ServicePromiseTerms Terms = HistoryTerms;

    private static DateTimeOffset? Due(Scenario scenario, ServicePromise promise) => scenario.State.DueOf(promise);

    private static IReadOnlyList<object>? Check(Scenario scenario, ServicePromise promise, DateTimeOffset due, DateTimeOffset now) =>
        ServicePromiseCheck.Decide(scenario.State, promise, due, now);

    // Giving promises

    [Fact]
    public void acceptance_gives_the_terms_of_the_category_and_the_resolution_due_they_set() =>
        Given(Received(0, category: "plant protection")).When(new AcceptComplaint())
            .Then(new ComplaintAccepted(null, Now, User), new ServicePromisesGiven("plant protection", PlantProtectionTerms, Now.AddDays(5), Now, User))
            .State.DueAt.ShouldBe(Now.AddDays(5));

    [Fact]
    public void a_case_without_a_category_is_given_the_default_terms() =>
        Given(Received(0, category: null)).When(new AcceptComplaint())
            .Then(new ComplaintAccepted(null, Now, User), new ServicePromisesGiven(null, Terms, Now.AddDays(30), Now, User));

    [Fact]
    public void a_case_keeps_the_terms_it_was_given_when_the_policy_changes()
    {
        var stricter = Facts.Policies with { Promises = new ServicePromisePolicy { Default = Terms with { ResolutionWithin = TimeSpan.FromDays(2) } } };
        // A triage that corrects severity and priority under the stricter policy leaves the case's terms and due as given.
        var retriaged = Given(In("Accepted")).With(stricter).When(new TriageComplaint("Seeds", Severity.High, Priority.High))
            .Then(new ComplaintTriaged("Seeds", Severity.High, Priority.High, Now, User));
        retriaged.State.Promises.ShouldBe(Terms);
        retriaged.State.DueAt.ShouldBe(T(1) + Terms.ResolutionWithin);
    }

    [Fact]
    public void a_case_accepted_under_a_changed_policy_is_given_the_new_terms()
    {
        var stricter = Terms with { ResolutionWithin = TimeSpan.FromDays(2) };
        Given(In("Received")).With(Facts.Policies with { Promises = new ServicePromisePolicy { Default = stricter } }).When(new AcceptComplaint())
            .Then(new ComplaintAccepted(null, Now, User), new ServicePromisesGiven("seeds", stricter, Now.AddDays(2), Now, User));
    }

    [Fact]
    public void triage_into_a_category_with_other_terms_gives_those_terms_and_moves_the_resolution_due_from_acceptance() =>
        Given(In("Accepted")).When(new TriageComplaint("plant protection", Severity.High, Priority.Urgent))
            .Then(new ComplaintTriaged("plant protection", Severity.High, Priority.Urgent, Now, User),
                new ServicePromisesGiven("plant protection", PlantProtectionTerms, T(1) + PlantProtectionTerms.ResolutionWithin, Now, User));

    [Fact]
    public void triage_into_a_category_with_the_same_terms_gives_nothing_new() =>
        Given(In("Accepted")).When(new TriageComplaint("fertiliser", Severity.Low, Priority.Low))
            .Then(new ComplaintTriaged("fertiliser", Severity.Low, Priority.Low, Now, User));

    [Fact]
    public void triage_into_other_terms_leaves_a_due_date_set_by_hand() =>
        Given(In("Assigned")).When(new TriageComplaint("plant protection", Severity.High, Priority.Urgent))
            .Then(new ComplaintTriaged("plant protection", Severity.High, Priority.Urgent, Now, User),
                new ServicePromisesGiven("plant protection", PlantProtectionTerms, null, Now, User))
            .State.DueAt.ShouldBe(DueAt);

    [Fact]
    public void a_category_with_other_terms_shortens_the_first_response_of_a_case_already_assigned()
    {
        var state = Given(In("Accepted"), Assigned(2), PromisesGiven(2.5, "plant protection", PlantProtectionTerms)).State;
        state.DueOf(ServicePromise.FirstResponse).ShouldBe(T(2) + TimeSpan.FromMinutes(3));
    }

    // When each promise falls due

    [Fact]
    public void assignment_starts_the_first_response_promise_and_the_first_response_keeps_it()
    {
        var assigned = Given(In("Accepted"), Assigned(2));
        Due(assigned, ServicePromise.FirstResponse).ShouldBe(T(2) + Terms.FirstResponseWithin);
        Due(Given(assigned.History, FirstResponse(3)), ServicePromise.FirstResponse).ShouldBeNull();
    }

    [Fact]
    public void a_reassignment_after_a_return_starts_the_first_response_promise_again() =>
        Due(Given(In("Accepted"), Assigned(2), Returned(3), Assigned(4)), ServicePromise.FirstResponse).ShouldBe(T(4) + Terms.FirstResponseWithin);

    [Fact]
    public void acceptance_starts_the_resolution_promise_and_the_resolution_keeps_it()
    {
        Due(Given(In("Accepted")), ServicePromise.Resolution).ShouldBe(T(1) + Terms.ResolutionWithin);
        Due(Given(In("Resolved")), ServicePromise.Resolution).ShouldBeNull();
    }

    [Fact]
    public void an_extension_moves_the_resolution_due()
    {
        var extended = Given(In("Investigating"), Extended(5, DueAt, DueAt.AddDays(4)));
        Due(extended, ServicePromise.Resolution).ShouldBe(DueAt.AddDays(4));
    }

    [Fact]
    public void a_resolution_opens_the_follow_up_window_and_a_follow_up_closes_it()
    {
        var resolved = Given(In("Resolved"));
        resolved.State.FollowUpDueFrom.ShouldBe(T(6) + Terms.FollowUpFrom);
        Due(resolved, ServicePromise.FollowUp).ShouldBe(T(6) + Terms.FollowUpWithin);
        Due(Given(resolved.History, FollowUp(7, satisfied: false, rectified: false), Rectification(7), Resolved(8)), ServicePromise.FollowUp)
            .ShouldBe(T(8) + Terms.FollowUpWithin);
    }

    [Fact]
    public void a_re_review_request_starts_the_re_review_promise_and_the_re_review_keeps_it()
    {
        Due(Given(In("AwaitingReReview")), ServicePromise.ReReview).ShouldBe(T(7) + Terms.ReReviewWithin);
        Due(Given(In("AwaitingReReview"), ReReviewed(8, 1)), ServicePromise.ReReview).ShouldBeNull();
    }

    [Fact]
    public void a_case_worked_again_after_a_re_review_is_not_owed_its_first_resolution_again() =>
        Due(Given(In("AwaitingReReview"), ReReviewed(8, 1)), ServicePromise.Resolution).ShouldBeNull();

    [Fact]
    public void a_resolution_without_a_recorded_first_response_answers_for_it() =>
        Due(Given(In("Assigned"), Evidence(4), Findings(5), Resolved(6), FollowUp(7, satisfied: false, rectified: false), Rectification(7)),
            ServicePromise.FirstResponse).ShouldBeNull();

    [Fact]
    public void a_case_from_before_promises_has_none_due()
    {
        var old = Given(Received(0), Accepted(1), Assigned(2), Resolved(3));
        foreach (var promise in Enum.GetValues<ServicePromise>()) Due(old, promise).ShouldBeNull();
    }

    [Fact]
    public void the_dues_a_step_sets_are_the_timers_it_needs()
    {
        var accepted = Given(In("Accepted")).State;
        var assigned = accepted.After(Assigned(2, due: DueAt));
        assigned.DuesSetSince(accepted).ShouldBe([(ServicePromise.FirstResponse, T(2) + Terms.FirstResponseWithin), (ServicePromise.Resolution, DueAt)]);
        assigned.After(Evidence(3)).DuesSetSince(assigned).ShouldBeEmpty();
    }

    // Timers going off

    [Fact]
    public void a_first_response_not_made_by_its_due_is_recorded_as_missed()
    {
        var due = T(2) + Terms.FirstResponseWithin;
        Check(Given(In("Accepted"), Assigned(2)), ServicePromise.FirstResponse, due, due.AddSeconds(2))
            .ShouldBe([new ServicePromiseMissed(ServicePromise.FirstResponse, due, TimeSpan.FromSeconds(2), due.AddSeconds(2), ServicePromiseCheck.RecordedBy)]);
    }

    [Fact]
    public void a_timer_for_a_step_that_happened_records_nothing()
    {
        var due = T(2) + Terms.FirstResponseWithin;
        Check(Given(In("Accepted"), Assigned(2), FirstResponse(3)), ServicePromise.FirstResponse, due, due.AddHours(1)).ShouldBe([]);
    }

    [Fact]
    public void a_timer_for_a_due_that_has_since_moved_records_nothing() =>
        Check(Given(In("Investigating"), Extended(5, DueAt, DueAt.AddDays(4))), ServicePromise.Resolution, DueAt, DueAt.AddMinutes(1)).ShouldBe([]);

    [Fact]
    public void a_timer_delivered_twice_records_the_miss_once()
    {
        var due = T(2) + Terms.FirstResponseWithin;
        var missed = new ServicePromiseMissed(ServicePromise.FirstResponse, due, TimeSpan.Zero, due, ServicePromiseCheck.RecordedBy);
        Check(Given(In("Accepted"), Assigned(2), missed), ServicePromise.FirstResponse, due, due.AddMinutes(1)).ShouldBe([]);
    }

    [Fact]
    public void a_timer_that_goes_off_early_waits_for_its_due()
    {
        var due = T(2) + Terms.FirstResponseWithin;
        Check(Given(In("Accepted"), Assigned(2)), ServicePromise.FirstResponse, due, due.AddSeconds(-1)).ShouldBeNull();
    }

    [Fact]
    public void a_follow_up_window_that_ends_without_a_follow_up_is_a_missed_promise()
    {
        var due = T(6) + Terms.FollowUpWithin;
        Check(Given(In("Resolved")), ServicePromise.FollowUp, due, due).ShouldBe([new ServicePromiseMissed(ServicePromise.FollowUp, due, TimeSpan.Zero, due, ServicePromiseCheck.RecordedBy)]);
        Check(Given(In("Resolved"), FollowUp(7, satisfied: true)), ServicePromise.FollowUp, due, due).ShouldBe([]);
    }

    [Fact]
    public void a_missed_promise_is_not_a_step_so_history_entered_later_may_still_be_dated_before_it()
    {
        var due = T(2) + TimeSpan.FromMinutes(3);
        var history = Given(In("Accepted"), Assigned(2), PromisesGiven(2, "plant protection", PlantProtectionTerms),
            new ServicePromiseMissed(ServicePromise.FirstResponse, due, TimeSpan.Zero, due, ServicePromiseCheck.RecordedBy));
        history.When(new RecordFirstResponse { At = T(2) + TimeSpan.FromMinutes(2) }).Then(events => events.ShouldHaveSingleItem());
    }

    // Steps after their due

    [Fact]
    public void a_first_response_made_after_its_due_records_the_miss_with_the_step_when_no_timer_did()
    {
        var due = T(2) + TimeSpan.FromMinutes(3);
        Given(In("Accepted"), Assigned(2), PromisesGiven(2, "plant protection", PlantProtectionTerms))
            .When(new RecordFirstResponse { At = T(2) + TimeSpan.FromMinutes(10) })
            .Then(new ServicePromiseMissed(ServicePromise.FirstResponse, due, TimeSpan.FromMinutes(7), T(2) + TimeSpan.FromMinutes(10), ServicePromiseCheck.RecordedBy),
                new FirstResponseMade(null, T(2) + TimeSpan.FromMinutes(10), User));
    }

    [Fact]
    public void a_first_response_made_on_time_but_entered_later_records_no_miss() =>
        Given(In("Accepted"), Assigned(2), PromisesGiven(2, "plant protection", PlantProtectionTerms))
            .When(new RecordFirstResponse { At = T(2) + TimeSpan.FromMinutes(2) })
            .Then(new FirstResponseMade(null, T(2) + TimeSpan.FromMinutes(2), User));

    [Fact]
    public void an_extension_granted_after_the_due_passed_records_the_miss()
    {
        var history = Given(In("Accepted"), Assigned(3, due: T(75)), FirstResponse(4));
        history.When(new ExtendResolutionDue(Now.AddDays(3), "lab results late"))
            .Then(events => events[0].ShouldBe(new ServicePromiseMissed(ServicePromise.Resolution, T(75), Now - T(75), Now, ServicePromiseCheck.RecordedBy)));
    }

    [Fact]
    public void a_miss_a_timer_recorded_is_not_recorded_again_by_the_late_step()
    {
        var due = T(2) + TimeSpan.FromMinutes(3);
        Given(In("Accepted"), Assigned(2), PromisesGiven(2, "plant protection", PlantProtectionTerms),
                new ServicePromiseMissed(ServicePromise.FirstResponse, due, TimeSpan.Zero, due, ServicePromiseCheck.RecordedBy))
            .When(new RecordFirstResponse()).Then(new FirstResponseMade(null, Now, User));
    }

    [Fact]
    public void a_case_whose_investigation_began_without_a_first_response_may_still_record_it_once()
    {
        var investigating = Given(In("Accepted"), Assigned(2), Evidence(3));
        investigating.State.Status.ShouldBe(ComplaintStatus.Investigating);
        investigating.When(new RecordFirstResponse()).Then(new FirstResponseMade(null, Now, User))
            .When(new RecordFirstResponse()).ThenRefusedIn("first-response", "Investigating");
    }

    [Fact]
    public void a_case_never_given_promises_has_no_timers_even_with_a_due_date_set_by_hand()
    {
        var old = Given(Received(0), Accepted(1), Assigned(2, due: T(75)));
        old.State.DueOf(ServicePromise.Resolution).ShouldBeNull();
        old.State.DuesSetSince(Given(Received(0), Accepted(1)).State).ShouldBeEmpty();
    }

    // The complainant's reply window

    [Fact]
    public void a_follow_up_attempt_that_does_not_reach_the_complainant_keeps_the_follow_up_promise_and_opens_the_reply_window()
    {
        var attempted = Given(In("Resolved")).When(new RecordComplainantNotReached("no answer, twice"))
            .Then(new ComplainantNotReached("no answer, twice", Now + Terms.ComplainantReplyWithin, Now, User));
        Due(attempted, ServicePromise.FollowUp).ShouldBeNull();
        Due(attempted, ServicePromise.ComplainantReply).ShouldBe(Now + Terms.ComplainantReplyWithin);
    }

    [Fact]
    public void a_later_attempt_does_not_move_the_reply_window() =>
        Given(In("Resolved"), new ComplainantNotReached(null, T(7) + Terms.ComplainantReplyWithin, T(7), Colleague))
            .When(new RecordComplainantNotReached())
            .Then(new ComplainantNotReached(null, T(7) + Terms.ComplainantReplyWithin, Now, User));

    [Fact]
    public void a_complainant_not_reached_within_the_reply_window_closes_the_case_as_no_response()
    {
        var replyBy = T(7) + Terms.ComplainantReplyWithin;
        var attempted = Given(In("Resolved"), new ComplainantNotReached(null, replyBy, T(7), Colleague));
        var events = Check(attempted, ServicePromise.ComplainantReply, replyBy, replyBy.AddMinutes(1)).ShouldNotBeNull();
        var closed = events.ShouldHaveSingleItem().ShouldBeOfType<ComplaintClosed>();
        closed.Reason.ShouldBe(CloseReason.NoResponse);
        Given(attempted.History, [.. events]).State.Status.ShouldBe(ComplaintStatus.Closed);
    }

    [Fact]
    public void a_complainant_who_replies_within_the_window_keeps_the_case_open()
    {
        var replyBy = T(7) + Terms.ComplainantReplyWithin;
        Check(Given(In("Resolved"), new ComplainantNotReached(null, replyBy, T(7), Colleague), FollowUp(8, satisfied: false, rectified: false),
            Rectification(8)), ServicePromise.ComplainantReply, replyBy, replyBy).ShouldBe([]);
    }

    public static TheoryData<string> NotResolved => StatesExcept("Resolved");

    [Theory, MemberData(nameof(NotResolved))]
    public void only_a_resolved_case_has_a_follow_up_attempt(string state) =>
        Given(In(state)).When(new RecordComplainantNotReached()).ThenRefusedIn("follow-up-not-reached", state);

    // Urging

    public static TheoryData<string> Open => States(OpenStates);

    [Theory, MemberData(nameof(Open))]
    public void a_supervisor_urges_any_open_case(string state) =>
        Given(In(state)).When(new UrgeComplaint(" report by Friday ")).Then(new ComplaintUrged("report by Friday", Now, User));

    public static TheoryData<string> Finished => States(FinishedStates);

    [Theory, MemberData(nameof(Finished))]
    public void a_finished_case_is_not_urged(string state) =>
        Given(In(state)).When(new UrgeComplaint("why?")).ThenRefusedIn("urge", state);

    [Fact]
    public void an_urging_says_what_is_expected() =>
        Given(In("Assigned")).When(new UrgeComplaint(" ")).ThenInvalid("note");

    // Terms

    [Fact]
    public void terms_that_cannot_be_promised_are_named()
    {
        (ServicePromiseTerms.Default with { FirstResponseWithin = TimeSpan.Zero, FollowUpFrom = TimeSpan.FromDays(6) }).Problems()
            .ShouldBe(["FirstResponseWithin is 00:00:00; a promise needs a time greater than zero",
                "FollowUpFrom (6.00:00:00) must come before FollowUpWithin (5.00:00:00)"]);
        Terms.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void a_due_already_past_when_it_is_set_is_checked_after_the_late_entry_grace()
    {
        var policy = new ServicePromisePolicy();
        policy.CheckAt(Now.AddHours(1), Now).ShouldBe(Now.AddHours(1));
        policy.CheckAt(Now.AddHours(-1), Now).ShouldBe(Now + ServicePromisePolicy.DefaultLateEntryGrace);
    }

    [Fact]
    public void a_category_is_matched_whatever_its_case() =>
        Facts.Policies.Promises.For("Plant Protection").ShouldBe(PlantProtectionTerms);
}

namespace Complaints.Domain.Tests;

/// <summary>When a step happened: now when omitted, the past when entered later, never the future nor before the previous step.</summary>
public class TimingTests
{
    /// <summary>Every command on a complaint, each from a state that allows it.</summary>
    private static readonly Dictionary<string, (string State, ComplaintCommand Command)> Steps = new()
    {
        ["accept"] = ("Received", new AcceptComplaint()),
        ["decline"] = ("Received", new DeclineComplaint("out of scope", "explained")),
        ["withdraw"] = ("Investigating", new WithdrawComplaint()),
        ["triage"] = ("Accepted", new TriageComplaint("seeds", Severity.Low, Priority.Low)),
        ["assign"] = ("Accepted", new AssignComplaint(Handler, SeedStation)),
        ["return"] = ("Assigned", new ReturnComplaint("not ours")),
        ["first-response"] = ("Assigned", new RecordFirstResponse()),
        ["evidence"] = ("Investigating", new RecordEvidence(EvidenceKind.Photo, "trays")),
        ["findings"] = ("Investigating", new RecordFindings(true, "found")),
        ["escalate"] = ("Investigating", new EscalateComplaint("hard")),
        ["expected-date"] = ("Investigating", new GiveExpectedDate(Now.AddDays(9))),
        ["extend"] = ("Investigating", new ExtendResolutionDue(DueAt.AddDays(9), "time")),
        ["resolve"] = ("Investigating", new ResolveComplaint(Remedy.Apology, "done", "sorry")),
        ["mediation"] = ("Investigating", new AssessMediation(true, "civil")),
        ["mediation/agreement"] = ("InMediation", new SignMediationAgreement("terms")),
        ["mediation/failure"] = ("InMediation", new RecordMediationFailure(Referral.Litigation, "no")),
        ["settlement"] = ("InMediation", new RecordSettlement("terms")),
        ["follow-up"] = ("Resolved", new RecordFollowUp(true, 5)),
        ["re-review"] = ("AwaitingReReview", new ReReviewComplaint("plan")),
        ["close"] = ("Resolved", new CloseComplaint(CloseReason.NoResponse)),
        ["archive"] = ("Closed (Satisfied)", new ArchiveComplaint()),
    };

    public static TheoryData<string> Actions => new(Steps.Keys);

    private static Outcome Step(string action, DateTimeOffset? at)
    {
        var (state, command) = Steps[action];
        command.Action().ShouldBe(action);
        return Given(In(state)).When(command with { At = at });
    }

    private static DateTimeOffset LastStepOf(string action) => Given(In(Steps[action].State)).State.LastStepAt;

    [Theory, MemberData(nameof(Actions))]
    public void a_step_without_a_time_happens_now(string action) =>
        Step(action, null).Then(events => events.ShouldAllBe(e => ((IComplaintEvent)e).At == Now && ((IComplaintEvent)e).By == User));

    [Theory, MemberData(nameof(Actions))]
    public void a_step_entered_later_keeps_the_time_it_happened(string action) =>
        Step(action, LastStepOf(action).AddMinutes(30)).Then(events =>
            events.ShouldAllBe(e => ((IComplaintEvent)e).At == LastStepOf(action).AddMinutes(30)));

    [Theory, MemberData(nameof(Actions))]
    public void a_step_may_happen_at_the_same_moment_as_the_previous_one(string action) =>
        Step(action, LastStepOf(action)).Then(events => events.ShouldNotBeEmpty());

    [Theory, MemberData(nameof(Actions))]
    public void a_step_in_the_future_is_not_valid(string action) =>
        Step(action, Now.AddMinutes(1).AddSeconds(1)).ThenInvalid("at").Errors["at"].ShouldHaveSingleItem().ShouldContain("in the future");

    [Theory, MemberData(nameof(Actions))]
    public void a_step_dated_before_the_previous_step_is_refused(string action) =>
        Step(action, LastStepOf(action).AddTicks(-1)).ThenFails("before-previous-step", $"before the complaint's previous step at {LastStepOf(action):O}");

    [Fact]
    public void a_caller_clock_running_up_to_a_minute_ahead_is_recorded_as_now_so_the_next_step_is_not_refused() =>
        Given(In("Received")).When(new AcceptComplaint { At = Now.AddMinutes(1) })
            .Then(new ComplaintAccepted(null, Now, User), new ServicePromisesGiven("seeds", HistoryTerms, Now.AddDays(30), Now, User));

    [Fact]
    public void field_errors_are_reported_before_the_time_rule() =>
        Given(In("Received")).When(new DeclineComplaint(null, "explained") { At = T(-1) }).ThenInvalid("reason");

    [Fact]
    public void a_future_time_and_a_missing_field_are_reported_together() =>
        Given(In("Received")).When(new DeclineComplaint(null, "explained") { At = Now.AddHours(1) }).ThenInvalid("reason", "at");

    [Fact]
    public void the_previous_step_is_the_latest_one_even_when_history_was_entered_out_of_order() =>
        Given(In("Assigned"), new EvidenceRecorded(EvidenceKind.Photo, "trays", null, T(2.5), Handler))
            .When(new RecordFirstResponse { At = T(2.9) }).ThenFails("before-previous-step");

    // Receiving

    [Fact]
    public void a_complaint_received_without_a_time_is_received_now() =>
        Given().When(new ReceiveComplaint(Channel.Email, Zhao, "no receipt")).Then(events => events.ShouldHaveSingleItem().ShouldBeOfType<ComplaintReceived>().At.ShouldBe(Now));

    [Theory]
    [InlineData(-10_000)]
    [InlineData(0)]
    public void a_complaint_received_in_the_past_keeps_its_time(int minutes) =>
        Given().When(new ReceiveComplaint(Channel.Email, Zhao, "no receipt", ReceivedAt: Now.AddMinutes(minutes)))
            .Then(events => events.ShouldHaveSingleItem().ShouldBeOfType<ComplaintReceived>().At.ShouldBe(Now.AddMinutes(minutes)));

    [Fact]
    public void a_complaint_received_by_a_clock_up_to_a_minute_ahead_is_recorded_as_received_now() =>
        Given().When(new ReceiveComplaint(Channel.Email, Zhao, "no receipt", ReceivedAt: Now.AddMinutes(1)))
            .Then(events => events.ShouldHaveSingleItem().ShouldBeOfType<ComplaintReceived>().At.ShouldBe(Now));

    [Fact]
    public void a_complaint_received_in_the_future_is_not_valid() =>
        Given().When(new ReceiveComplaint(Channel.Email, Zhao, "no receipt", ReceivedAt: Now.AddMinutes(1).AddTicks(1))).ThenInvalid("receivedAt");
}

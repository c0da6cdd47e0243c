namespace Complaints.Domain.Tests;

public class ClosingTests
{
    // Reasons that close through their own step

    [Theory]
    [InlineData(CloseReason.Satisfied, "satisfied-needs-follow-up")]
    [InlineData(CloseReason.Declined, "declined-needs-decline")]
    [InlineData(CloseReason.Withdrawn, "withdrawn-needs-withdraw")]
    public void satisfied_declined_and_withdrawn_cases_close_through_their_own_step_not_through_close(CloseReason reason, string rule)
    {
        foreach (var state in new[] { "Received", "Accepted", "Resolved" })
            Given(In(state)).When(new CloseComplaint(reason)).ThenFails(rule);
    }

    // Referred elsewhere

    public static TheoryData<string> Referable =>
        States("Received", "Accepted", "Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");
    public static TheoryData<string> NotReferable => StatesExcept("Received", "Accepted", "Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(Referable))]
    public void a_case_in_hand_is_closed_as_referred_elsewhere(string state) =>
        Given(In(state)).When(new CloseComplaint(CloseReason.Referred, "sent to the market regulator"))
            .Then(new ComplaintClosed(CloseReason.Referred, "sent to the market regulator", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Describe().ShouldBe("Closed (Referred)"),
                c => c.IsOpen.ShouldBeFalse());

    [Theory, MemberData(nameof(NotReferable))]
    public void a_resolved_awaiting_or_closed_case_is_not_referred(string state) =>
        Given(In(state)).When(new CloseComplaint(CloseReason.Referred)).ThenRefusedIn("close", state);

    // No response to the follow-up

    [Fact]
    public void a_resolved_case_whose_complainant_never_answers_the_follow_up_closes_as_no_response() =>
        Given(In("Resolved")).When(new CloseComplaint(CloseReason.NoResponse, "three calls unanswered"))
            .Then(new ComplaintClosed(CloseReason.NoResponse, "three calls unanswered", Now, User))
            .State.Describe().ShouldBe("Closed (NoResponse)");

    public static TheoryData<string> NotResolved => StatesExcept("Resolved");

    [Theory, MemberData(nameof(NotResolved))]
    public void no_response_closes_only_a_resolved_case(string state) =>
        Given(In(state)).When(new CloseComplaint(CloseReason.NoResponse)).ThenRefusedIn("close", state);

    // Agreement performed

    [Fact]
    public void a_signed_agreement_performed_closes_the_case() =>
        Given(In("InMediation"), AgreementSigned(6)).When(new CloseComplaint(CloseReason.AgreementPerformed))
            .Then(new ComplaintClosed(CloseReason.AgreementPerformed, null, Now, User));

    [Fact]
    public void a_settlement_performed_closes_the_case() =>
        Given(In("Investigating"), Settled(5)).When(new CloseComplaint(CloseReason.AgreementPerformed, "exchanged"))
            .Then(new ComplaintClosed(CloseReason.AgreementPerformed, "exchanged", Now, User));

    [Fact]
    public void a_case_resolved_by_a_remedy_has_no_agreement_to_perform() =>
        Given(In("Resolved")).When(new CloseComplaint(CloseReason.AgreementPerformed)).ThenFails("no-agreement");

    [Fact]
    public void a_case_resolved_again_by_a_remedy_after_an_agreement_no_longer_counts_as_agreed() =>
        Given(In("InMediation"), AgreementSigned(6), FollowUp(7, false), ReReviewRequested(7, 1), ReReviewed(8, 1), Resolved(9))
            .When(new CloseComplaint(CloseReason.AgreementPerformed)).ThenFails("no-agreement");

    [Theory, MemberData(nameof(NotResolved))]
    public void an_agreement_is_performed_only_once_it_resolved_the_case(string state) =>
        Given(In(state)).When(new CloseComplaint(CloseReason.AgreementPerformed)).ThenRefusedIn("close", state);

    [Theory]
    [InlineData(null, "reason")]
    [InlineData((CloseReason)42, "reason")]
    public void a_close_names_a_known_reason(CloseReason? reason, string field) =>
        Given(In("Resolved")).When(new CloseComplaint(reason)).ThenInvalid(field);

    [Fact]
    public void an_unknown_reason_cannot_close_even_an_archived_case() =>
        Given(In("Archived (Satisfied)")).When(new CloseComplaint((CloseReason)42)).ThenInvalid("reason");

    [Fact]
    public void a_close_note_has_a_limit() =>
        Given(In("Resolved")).When(new CloseComplaint(CloseReason.NoResponse, Text(4001))).ThenInvalid("note");

    // Archive

    public static TheoryData<string> Closed => States("Closed (Declined)", "Closed (Withdrawn)", "Closed (Satisfied)", "Closed (Referred)");

    [Theory, MemberData(nameof(Closed))]
    public void a_closed_case_is_archived_and_keeps_its_close_reason(string state) =>
        Given(In(state)).When(new ArchiveComplaint()).Then(new ComplaintArchived(Now, User))
            .State.Describe().ShouldBe(state.Replace("Closed", "Archived"));

    public static TheoryData<string> NotClosed => StatesExcept("Closed (Declined)", "Closed (Withdrawn)", "Closed (Satisfied)", "Closed (Referred)");

    [Theory, MemberData(nameof(NotClosed))]
    public void only_a_closed_case_is_archived(string state) =>
        Given(In(state)).When(new ArchiveComplaint()).ThenRefusedIn("archive", state);

    [Fact]
    public void archiving_twice_is_refused_with_the_archived_state() =>
        Given(In("Archived (Satisfied)")).When(new ArchiveComplaint()).ThenFails("archive-not-allowed-when-archived")
            .Message.ShouldBe("cannot archive: complaint is Archived (Satisfied); only a complaint that is Closed can be archived");

    // After closing, nothing moves

    public static TheoryData<string> Finished => States(FinishedStates);

    [Theory, MemberData(nameof(Finished))]
    public void a_finished_case_refuses_every_step_of_work(string state)
    {
        var commands = new ComplaintCommand[]
        {
            new AcceptComplaint(), new TriageComplaint("seeds", Severity.Low, Priority.Low), new AssignComplaint(Handler, SeedStation),
            new ReturnComplaint("not ours"), new RecordFirstResponse(), new RecordEvidence(EvidenceKind.Photo, "trays"),
            new RecordFindings(true, "found"), new EscalateComplaint("hard"), new GiveExpectedDate(Now.AddDays(1)),
            new ExtendResolutionDue(Now.AddDays(9), "time"), new ResolveComplaint(Remedy.Apology, "done", "sorry"),
            new AssessMediation(true, "civil"), new SignMediationAgreement("terms"), new RecordMediationFailure(Referral.Litigation, "no"),
            new RecordSettlement("terms"), new RecordFollowUp(true, 5), new ReReviewComplaint("plan"), new DeclineComplaint("r", "e"),
            new CloseComplaint(CloseReason.Referred), new CloseComplaint(CloseReason.NoResponse), new WithdrawComplaint(),
        };
        foreach (var command in commands)
            Should.Throw<ComplaintCommandRefused>(() => command.Decide(Given(In(state)).State, new CommandContext(User, Now, Policies)))
                .Message.ShouldContain($"complaint is {state};", customMessage: command.Action());
    }
}

namespace Complaints.Domain.Tests;

public class InvestigationTests
{
    // First response

    [Fact]
    public void the_handler_reaching_the_site_starts_the_investigation() =>
        Given(In("Assigned")).When(new RecordFirstResponse("on site at 10:05")).Then(new FirstResponseMade("on site at 10:05", Now, User))
            .State.Status.ShouldBe(ComplaintStatus.Investigating);

    public static TheoryData<string> NotAssigned => StatesExcept("Assigned");

    [Theory, MemberData(nameof(NotAssigned))]
    public void a_first_response_is_recorded_once_after_assignment(string state) =>
        Given(In(state)).When(new RecordFirstResponse()).ThenRefusedIn("first-response", state);

    [Fact]
    public void a_refused_first_response_reads_as_a_sentence() =>
        Given(In("Accepted")).When(new RecordFirstResponse()).ThenRefusedIn("first-response", "Accepted")
            .Message.ShouldBe("cannot first-response: complaint is Accepted; only a complaint that is Assigned can be responded to");

    [Fact]
    public void a_first_response_note_has_a_limit() => Given(In("Assigned")).When(new RecordFirstResponse(Text(4001))).ThenInvalid("note");

    // Evidence

    public static TheoryData<string> UnderInvestigation => States("Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");
    public static TheoryData<string> NotUnderInvestigation => StatesExcept("Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(UnderInvestigation))]
    public void evidence_and_statements_are_recorded_while_the_case_is_worked(string state) =>
        Given(In(state)).When(new RecordEvidence(EvidenceKind.Statement, " the dealer admits the lot was stored wet ", "dealer"))
            .Then(new EvidenceRecorded(EvidenceKind.Statement, "the dealer admits the lot was stored wet", "dealer", Now, User));

    [Theory, MemberData(nameof(NotUnderInvestigation))]
    public void evidence_is_not_recorded_before_assignment_or_after_resolution(string state) =>
        Given(In(state)).When(new RecordEvidence(EvidenceKind.Photo, "trays")).ThenRefusedIn("evidence", state);

    [Fact]
    public void evidence_on_an_assigned_case_starts_the_investigation() =>
        Given(In("Assigned")).When(new RecordEvidence(EvidenceKind.Photo, "trays")).Then(new EvidenceRecorded(EvidenceKind.Photo, "trays", null, Now, User))
            .State.Status.ShouldBe(ComplaintStatus.Investigating);

    [Theory]
    [InlineData("InMediation", ComplaintStatus.InMediation)]
    [InlineData("EscalatedToHigherLevel", ComplaintStatus.EscalatedToHigherLevel)]
    public void evidence_leaves_a_case_in_mediation_or_at_a_higher_level_where_it_is(string state, ComplaintStatus status) =>
        Given(In(state)).When(new RecordEvidence(EvidenceKind.Document, "invoice")).Then(_ => { }).State.Status.ShouldBe(status);

    public static TheoryData<RecordEvidence, string> InvalidEvidence => new()
    {
        { new RecordEvidence(null, "trays"), "kind" },
        { new RecordEvidence((EvidenceKind)9, "trays"), "kind" },
        { new RecordEvidence(EvidenceKind.Photo, null), "description" },
        { new RecordEvidence(EvidenceKind.Photo, " "), "description" },
        { new RecordEvidence(EvidenceKind.Photo, "trays", Text(201)), "party" },
    };

    [Theory, MemberData(nameof(InvalidEvidence))]
    public void evidence_has_a_kind_and_a_description(RecordEvidence command, string field) =>
        Given(In("Investigating")).When(command).ThenInvalid(field);

    // Findings

    [Theory]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    [InlineData("EscalatedToHigherLevel")]
    public void findings_say_whether_the_complaint_is_substantiated(string state) =>
        Given(In(state)).When(new RecordFindings(false, " seed met the standard; sown too deep ")).Then(new FindingsRecorded(false, "seed met the standard; sown too deep", Now, User));

    public static TheoryData<string> NoFindings => StatesExcept("Assigned", "Investigating", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(NoFindings))]
    public void findings_are_recorded_only_while_investigating(string state) =>
        Given(In(state)).When(new RecordFindings(true, "lot below standard")).ThenRefusedIn("findings", state);

    [Fact]
    public void findings_on_an_assigned_case_start_the_investigation() =>
        Given(In("Assigned")).When(new RecordFindings(true, "lot below standard")).Then(_ => { }).State.Status.ShouldBe(ComplaintStatus.Investigating);

    [Theory]
    [InlineData(null, "lot below standard", "substantiated")]
    [InlineData(true, null, "summary")]
    [InlineData(true, "", "summary")]
    public void findings_need_a_verdict_and_a_summary(bool? substantiated, string? summary, string field) =>
        Given(In("Investigating")).When(new RecordFindings(substantiated, summary)).ThenInvalid(field);

    // Escalation of a hard case

    public static TheoryData<string> Escalatable => States("Accepted", "Assigned", "Investigating", "InMediation");
    public static TheoryData<string> NotEscalatable => StatesExcept("Accepted", "Assigned", "Investigating", "InMediation");

    [Theory, MemberData(nameof(Escalatable))]
    public void a_hard_case_is_reported_upward_and_stays_where_it_is(string state)
    {
        var before = Given(In(state)).State.Status;
        Given(In(state)).When(new EscalateComplaint(" dealer refuses to cooperate ", "bureau director"))
            .Then(new ComplaintEscalated("dealer refuses to cooperate", "bureau director", Now, User))
            .State.Status.ShouldBe(before);
    }

    [Theory, MemberData(nameof(NotEscalatable))]
    public void a_case_not_in_hand_is_not_escalated(string state) =>
        Given(In(state)).When(new EscalateComplaint("hard")).ThenRefusedIn("escalate", state);

    [Theory]
    [InlineData(null, null, "reason")]
    [InlineData(" ", null, "reason")]
    [InlineData("hard", 201, "to")]
    public void an_escalation_says_why(string? reason, int? toLength, string field) =>
        Given(In("Investigating")).When(new EscalateComplaint(reason, toLength is { } n ? Text(n) : null)).ThenInvalid(field);

    // Expected resolution date

    public static TheoryData<string> Pending => States("Accepted", "Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");
    public static TheoryData<string> NotPending => StatesExcept("Accepted", "Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(Pending))]
    public void the_complainant_is_told_when_to_expect_a_resolution(string state) =>
        Given(In(state)).When(new GiveExpectedDate(Now.AddDays(10), "waiting for the lab"))
            .Then(new ExpectedResolutionDateGiven(Now.AddDays(10), "waiting for the lab", Now, User));

    [Theory, MemberData(nameof(NotPending))]
    public void an_expected_date_is_given_only_while_the_case_is_pending(string state) =>
        Given(In(state)).When(new GiveExpectedDate(Now.AddDays(10))).ThenRefusedIn("expected-date", state)
            .Message.ShouldEndWith("can be given an expected date");

    [Theory]
    [InlineData(0)]
    [InlineData(-24)]
    public void an_expected_date_lies_in_the_future(int hours) =>
        Given(In("Investigating")).When(new GiveExpectedDate(Now.AddHours(hours))).ThenInvalid("expectedBy");

    [Fact]
    public void an_expected_date_is_required() => Given(In("Investigating")).When(new GiveExpectedDate(null)).ThenInvalid("expectedBy");

    // Extension of the resolution due date

    public static TheoryData<string> Extendable => States("Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");
    public static TheoryData<string> NotExtendable => StatesExcept("Assigned", "Investigating", "InMediation", "EscalatedToHigherLevel");

    [Theory, MemberData(nameof(Extendable))]
    public void a_supervisor_grants_more_time(string state) =>
        Given(In(state)).When(new ExtendResolutionDue(DueAt.AddDays(7), " waiting for the lab "))
            .Then(new ResolutionDueExtended(DueAt, DueAt.AddDays(7), "waiting for the lab", Now, User))
            .State.DueAt.ShouldBe(DueAt.AddDays(7));

    [Fact]
    public void an_extension_extends_the_latest_due_date() =>
        Given(In("Investigating"), Extended(5, DueAt, DueAt.AddDays(2))).When(new ExtendResolutionDue(DueAt.AddDays(5), "again"))
            .Then(new ResolutionDueExtended(DueAt.AddDays(2), DueAt.AddDays(5), "again", Now, User));

    [Theory, MemberData(nameof(NotExtendable))]
    public void only_a_case_being_worked_gets_an_extension(string state) =>
        Given(In(state)).When(new ExtendResolutionDue(DueAt.AddDays(7), "more time")).ThenRefusedIn("extend", state);

    [Fact]
    public void a_case_assigned_without_a_due_date_has_nothing_to_extend() =>
        // Accepted before there were service promises, so nothing set a due date.
        Given(Received(0), Accepted(1), Assigned(2)).When(new ExtendResolutionDue(Now.AddDays(7), "more time")).ThenFails("no-due-date");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void an_extension_moves_the_due_date_later(int days) =>
        Given(In("Investigating")).When(new ExtendResolutionDue(DueAt.AddDays(days), "more time")).ThenFails("extension-not-later", "is not later than the current one");

    [Fact]
    public void an_extension_to_a_date_already_past_is_not_valid() =>
        Given(In("Accepted"), Assigned(3, due: T(75)), FirstResponse(4)).When(new ExtendResolutionDue(Now.AddMinutes(-1), "more time") { At = Now })
            .ThenInvalid("dueAt");

    [Theory]
    [InlineData(false, "more time", "dueAt")]
    [InlineData(true, null, "reason")]
    [InlineData(true, " ", "reason")]
    public void an_extension_needs_a_new_date_and_a_reason(bool withDate, string? reason, string field) =>
        Given(In("Investigating")).When(new ExtendResolutionDue(withDate ? DueAt.AddDays(7) : null, reason)).ThenInvalid(field);
}

namespace Complaints.Domain.Tests;

/// <summary>
/// History brought from another system is kept whole: a step that breaks a rule of time a live command is refused by is
/// recorded as the source dated it, with a data-quality note; the rules of state still hold.
/// </summary>
public class SourceHistoryTests
{
    private static SourceAnomalyNoted Note(SourceAnomaly anomaly, string detail) => new(anomaly, detail, SourceAnomalyNoted.NoValues, Now, User);

    [Fact]
    public void a_source_step_dated_before_the_previous_step_is_recorded_as_dated_and_noted()
    {
        var last = Given(In("Assigned")).State.LastStepAt;
        Given(In("Assigned"))
            .WhenFromSource(new ResolveComplaint(Remedy.Apology, "done", "sorry") { At = T(-5) })
            .Then(
                new ComplaintResolved(Remedy.Apology, "done", null, "sorry", false, T(-5), User),
                Note(SourceAnomaly.StepsOutOfOrder, $"resolve at {T(-5):O} is before the complaint's previous step at {last:O}"));
    }

    [Fact]
    public void the_same_step_given_live_is_still_refused() =>
        Given(In("Assigned")).When(new ResolveComplaint(Remedy.Apology, "done", "sorry") { At = T(-5) }).ThenFails("before-previous-step");

    [Fact]
    public void the_fold_takes_a_step_dated_back_without_moving_its_latest_step_back()
    {
        var last = Given(In("Assigned")).State.LastStepAt;
        var state = Given(In("Assigned")).WhenFromSource(new ResolveComplaint(Remedy.Apology, "done", "sorry") { At = T(-5) })
            .Then(_ => { }).State;
        state.Status.ShouldBe(ComplaintStatus.Resolved);
        state.ResolvedAt.ShouldBe(T(-5));
        state.LastStepAt.ShouldBe(last);
        state.LastEventAt.ShouldBe(last);
        state.SourceAnomalies.ShouldBe([SourceAnomaly.StepsOutOfOrder]);
    }

    [Fact]
    public void a_source_step_still_needs_a_state_that_allows_it() =>
        Given(In("Received")).WhenFromSource(new RecordFollowUp(true, 5) { At = T(-5) }).ThenRefusedIn("follow-up", "Received");

    [Fact]
    public void a_source_due_date_not_after_its_assignment_stands_and_is_noted() =>
        Given(In("Accepted"))
            .WhenFromSource(new AssignComplaint(Handler, SeedStation, T(1)) { At = T(2) })
            .Then(
                new ComplaintAssigned(SeedStation, Handler, T(1), T(2), User),
                Note(SourceAnomaly.DueNotAfterAssignment, $"dueAt {T(1):O} is not after the assignment at {T(2):O}"));

    [Fact]
    public void a_source_step_dated_in_the_future_is_recorded_now_and_noted() =>
        Given(In("Received"))
            .WhenFromSource(new AcceptComplaint() { At = Now.AddDays(3) })
            .Then(events =>
            {
                events.OfType<ComplaintAccepted>().ShouldHaveSingleItem().At.ShouldBe(Now);
                events.OfType<SourceAnomalyNoted>().ShouldHaveSingleItem().Anomaly.ShouldBe(SourceAnomaly.DatedInTheFuture);
            });

    [Fact]
    public void a_note_is_about_the_record_and_never_moves_the_case()
    {
        var before = Given(In("Assigned")).State;
        var after = before.After(new SourceAnomalyNoted(SourceAnomaly.ColumnsDisagree, "Status 'Pending' beside a Closed Date",
            new Dictionary<string, string?> { ["Status"] = "Pending" }, Now.AddDays(30), "import:nyc311"));
        after.LastEventAt.ShouldBe(before.LastEventAt);
        after.LastStepAt.ShouldBe(before.LastStepAt);
        after.Status.ShouldBe(before.Status);
        after.SourceAnomalies.ShouldBe([SourceAnomaly.ColumnsDisagree]);
    }
}

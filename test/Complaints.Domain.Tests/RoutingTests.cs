namespace Complaints.Domain.Tests;

public class RoutingTests
{
    public static TheoryData<string> Workable => States("Accepted", "Assigned", "Investigating");
    public static TheoryData<string> NotWorkable => StatesExcept("Accepted", "Assigned", "Investigating");

    // Triage

    [Theory, MemberData(nameof(Workable))]
    public void triage_sets_category_severity_and_priority_and_may_be_corrected_while_worked(string state) =>
        Given(In(state)).When(new TriageComplaint(" fertiliser ", Severity.High, Priority.Urgent))
            .Then(new ComplaintTriaged("fertiliser", Severity.High, Priority.Urgent, Now, User))
            .State.Category.ShouldBe("fertiliser");

    [Theory, MemberData(nameof(NotWorkable))]
    public void triage_waits_for_acceptance_and_ends_when_the_case_is_resolved(string state) =>
        Given(In(state)).When(new TriageComplaint("seeds", Severity.Low, Priority.Low)).ThenRefusedIn("triage", state);

    [Theory]
    [InlineData(null, Severity.Low, Priority.Low, "category")]
    [InlineData(" ", Severity.Low, Priority.Low, "category")]
    [InlineData("seeds", null, Priority.Low, "severity")]
    [InlineData("seeds", (Severity)9, Priority.Low, "severity")]
    [InlineData("seeds", Severity.Low, null, "priority")]
    [InlineData("seeds", Severity.Low, (Priority)9, "priority")]
    public void triage_needs_a_category_a_severity_and_a_priority(string? category, Severity? severity, Priority? priority, string field) =>
        Given(In("Accepted")).When(new TriageComplaint(category, severity, priority)).ThenInvalid(field);

    [Fact]
    public void a_category_is_short() =>
        Given(In("Accepted")).When(new TriageComplaint(Text(201), Severity.Low, Priority.Low)).ThenInvalid("category");

    // Assigning

    [Fact]
    public void an_accepted_complaint_is_assigned_to_a_department_and_handler_with_a_due_date() =>
        Given(In("Accepted")).When(new AssignComplaint(" zhou.ping ", " Township Station ", Now.AddDays(3)))
            .Then(new ComplaintAssigned("Township Station", "zhou.ping", Now.AddDays(3), Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Assigned),
                c => c.Department.ShouldBe("Township Station"),
                c => c.Handler.ShouldBe("zhou.ping"),
                c => c.DueAt.ShouldBe(Now.AddDays(3)),
                c => c.EverAssigned.ShouldBeTrue());

    [Theory]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    public void assigning_an_assigned_case_reassigns_it(string state) =>
        Given(In(state)).When(new AssignComplaint("zhou.ping", "Township Station"))
            .Then(new ComplaintAssigned("Township Station", "zhou.ping", null, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Assigned),
                c => c.Handler.ShouldBe("zhou.ping"),
                c => c.DueAt.ShouldBe(DueAt));

    [Theory, MemberData(nameof(NotWorkable))]
    public void only_an_accepted_or_assigned_case_is_assigned(string state) =>
        Given(In(state)).When(new AssignComplaint(Handler, SeedStation)).ThenRefusedIn("assign", state);

    [Fact]
    public void without_a_department_the_routing_table_picks_the_one_for_the_category_received() =>
        Given(In("Accepted")).When(new AssignComplaint(Handler)).Then(new ComplaintAssigned(SeedStation, Handler, null, Now, User));

    [Fact]
    public void routing_follows_the_category_set_at_triage_whatever_its_case() =>
        Given(In("Accepted"), Triaged(2, "Plant Protection")).When(new AssignComplaint(Handler, " "))
            .Then(new ComplaintAssigned("Plant Protection Station", Handler, null, Now, User));

    [Fact]
    public void routing_is_refused_when_the_table_has_no_department_for_the_category() =>
        Given(In("Accepted"), Triaged(2, "sericulture")).When(new AssignComplaint(Handler))
            .ThenFails("department-unknown", "routing table has none for category 'sericulture'");

    [Fact]
    public void routing_is_refused_when_there_is_no_category_to_route_by() =>
        Given(Received(0, category: null), Accepted(1)).When(new AssignComplaint(Handler)).ThenFails("department-unknown", "triage it or name the department");

    [Fact]
    public void routing_is_data_so_an_empty_table_routes_nothing() =>
        Given(In("Accepted")).With(ComplaintPolicies.Default).When(new AssignComplaint(Handler)).ThenFails("department-unknown");

    [Fact]
    public void a_named_department_needs_no_routing() =>
        Given(Received(0, category: null), Accepted(1)).With(ComplaintPolicies.Default).When(new AssignComplaint(Handler, "Township Station"))
            .Then(new ComplaintAssigned("Township Station", Handler, null, Now, User));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void the_due_date_lies_after_the_assignment(int hours) =>
        Given(In("Accepted")).When(new AssignComplaint(Handler, SeedStation, Now.AddHours(hours))).ThenInvalid("dueAt");

    public static TheoryData<AssignComplaint, string> InvalidAssignments => new()
    {
        { new AssignComplaint(null, SeedStation), "handler" },
        { new AssignComplaint(" ", SeedStation), "handler" },
        { new AssignComplaint(Text(201), SeedStation), "handler" },
        { new AssignComplaint(Handler, Text(201)), "department" },
    };

    [Theory, MemberData(nameof(InvalidAssignments))]
    public void an_assignment_names_a_handler_and_at_most_a_short_department(AssignComplaint command, string field) =>
        Given(In("Accepted")).When(command).ThenInvalid(field);

    // Returning (退单) and reassigning

    [Theory]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    public void a_department_returns_a_case_that_is_not_theirs_and_it_waits_to_be_reassigned(string state) =>
        Given(In(state)).When(new ReturnComplaint("belongs to the market regulator"))
            .Then(new ComplaintReturned(SeedStation, Handler, "belongs to the market regulator", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Accepted),
                c => c.Department.ShouldBeNull(),
                c => c.Handler.ShouldBeNull());

    [Fact]
    public void a_returned_case_is_reassigned_elsewhere() =>
        Given(In("Assigned")).When(new ReturnComplaint("not ours")).Then(new ComplaintReturned(SeedStation, Handler, "not ours", Now, User))
            .When(new AssignComplaint("zhou.ping", "Market Regulation")).Then(new ComplaintAssigned("Market Regulation", "zhou.ping", null, Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Status.ShouldBe(ComplaintStatus.Assigned),
                c => c.Department.ShouldBe("Market Regulation"),
                c => c.DueAt.ShouldBe(DueAt));

    public static TheoryData<string> NotHeldByADepartment => StatesExcept("Assigned", "Investigating");

    [Theory, MemberData(nameof(NotHeldByADepartment))]
    public void only_a_case_held_by_a_department_is_returned(string state) =>
        Given(In(state)).When(new ReturnComplaint("not ours")).ThenRefusedIn("return", state);

    [Fact]
    public void a_case_reworked_after_a_first_contact_resolution_has_no_department_to_return_it() =>
        Given(In("Accepted"), Resolved(2, firstContact: true), FollowUp(3, satisfied: false, rectified: false), new RectificationOrdered(null, null, T(3), Colleague))
            .When(new ReturnComplaint("not ours")).ThenFails("not-assigned");

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void a_return_needs_a_reason(string? reason) => Given(In("Assigned")).When(new ReturnComplaint(reason)).ThenInvalid("reason");
}

namespace Complaints.Domain.Tests;

/// <summary>
/// The role table's conditions, which depend on the case: a handler acts on the cases they hold, an intake agent resolves
/// at first contact, a manager resolves what was escalated. A person with a role that has no condition acts on any case.
/// </summary>
public class RoleConditionTests
{
    private static ResolveComplaint Explanation => new(Remedy.Explanation, "explained the bill", "We explained the bill.");

    private static readonly Acting AsHandler = Acting.As(Role.Handler);

    [Fact]
    public void a_handler_acts_on_a_case_assigned_to_them() =>
        Given(In("Assigned")).When(new RecordFirstResponse("on site"), Handler, AsHandler)
            .Then(new FirstResponseMade("on site", Now, Handler));

    [Fact]
    public void a_handler_acts_on_a_case_assigned_to_their_department() =>
        Given(In("Assigned")).When(new RecordFirstResponse("on site"), Colleague, AsHandler.In(SeedStation))
            .Then(new FirstResponseMade("on site", Now, Colleague));

    [Fact]
    public void a_handler_may_not_act_on_another_handlers_case_in_another_department() =>
        Given(In("Assigned")).When(new RecordFirstResponse("on site"), Colleague, AsHandler.In("Fertiliser Station"))
            .ThenForbidden("first-response-not-for-handler", "a handler acts only on a case assigned to them or to their department");

    [Fact]
    public void a_handler_may_not_resolve_a_case_nobody_was_assigned() =>
        Given(In("Accepted")).When(Explanation, Handler, AsHandler).ThenForbidden("resolve-not-for-handler");

    [Fact]
    public void a_dispatcher_escalates_any_case_since_supervising_is_their_work() =>
        Given(In("Assigned")).When(new EscalateComplaint("dealer refuses"), Colleague, Acting.As(Role.Dispatcher))
            .Then(events => events.OfType<ComplaintEscalated>().Single().By.ShouldBe(Colleague));

    [Fact]
    public void intake_resolves_at_first_contact() =>
        Given(In("Accepted")).When(Explanation, User, Acting.As(Role.Intake))
            .Then(events => events.OfType<ComplaintResolved>().Single().FirstContact.ShouldBeTrue());

    [Theory]
    [InlineData("Assigned")]
    [InlineData("Investigating")]
    [InlineData("EscalatedToHigherLevel")]
    public void intake_may_not_resolve_a_case_past_first_contact(string state) =>
        Given(In(state)).When(Explanation, User, Acting.As(Role.Intake))
            .ThenForbidden("resolve-not-for-intake", "an intake agent resolves only at first contact");

    [Fact]
    public void a_manager_resolves_a_case_reported_to_management() =>
        Given(In("Investigating"), Escalated(5)).When(Explanation, User, Acting.As(Role.Manager))
            .Then(events => events.OfType<ComplaintResolved>().ShouldHaveSingleItem());

    [Fact]
    public void a_manager_resolves_a_case_sent_to_the_higher_level() =>
        Given(In("EscalatedToHigherLevel")).When(Explanation, User, Acting.As(Role.Manager))
            .Then(events => events.OfType<ComplaintResolved>().ShouldHaveSingleItem());

    [Fact]
    public void a_manager_may_not_resolve_a_case_never_escalated() =>
        Given(In("Investigating")).When(Explanation, User, Acting.As(Role.Manager))
            .ThenForbidden("resolve-not-for-manager", "a manager resolves only a case escalated");

    [Fact]
    public void one_role_whose_condition_holds_is_enough_and_the_refusal_names_every_role_acted_in()
    {
        Given(In("Investigating")).When(Explanation, User, Acting.As(Role.Manager, Role.Handler).In(SeedStation))
            .Then(events => events.OfType<ComplaintResolved>().ShouldHaveSingleItem());
        Given(In("Investigating")).When(Explanation, User, Acting.As(Role.Manager, Role.Intake))
            .ThenForbidden("resolve-not-for-intake-or-manager").Message.ShouldBe(
                "cannot resolve: an intake agent resolves only at first contact (an accepted case never assigned); " +
                "a manager resolves only a case escalated to management or to the higher level");
    }

    [Fact]
    public void the_systems_own_steps_and_trusted_services_are_bound_by_no_case_condition()
    {
        Given(In("Investigating")).When(Explanation).Then(events => events.OfType<ComplaintResolved>().ShouldHaveSingleItem());
        Given(In("Investigating")).When(Explanation, "crm", Acting.As(Role.Service))
            .Then(events => events.OfType<ComplaintResolved>().ShouldHaveSingleItem());
    }
}

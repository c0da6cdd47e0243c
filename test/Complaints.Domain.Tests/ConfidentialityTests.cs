namespace Complaints.Domain.Tests;

public class ConfidentialityTests
{
    public static TheoryData<string> Every => new(AllStates);

    [Theory, MemberData(nameof(Every))]
    public void personal_data_is_erased_in_any_state_on_a_legal_basis_without_changing_the_state(string state)
    {
        var before = Given(In(state)).State;
        Given(In(state)).When(new ErasePersonalData(" PIPL art. 47, request ref. E-17 "))
            .Then(new PersonalDataErased("PIPL art. 47, request ref. E-17", Now, User))
            .State.ShouldSatisfyAllConditions(
                c => c.Describe().ShouldBe(state),
                c => c.LastStepAt.ShouldBe(before.LastStepAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void an_erasure_without_a_legal_basis_is_invalid(string? basis) =>
        Given(In("Resolved")).When(new ErasePersonalData(basis)).ThenInvalid("legalBasis");

    [Fact]
    public void an_erasure_is_recorded_when_it_is_carried_out_and_cannot_be_dated() =>
        Given(In("Resolved")).When(new ErasePersonalData("court order") { At = T(20) }).ThenInvalid("at");

    [Fact]
    public void a_step_entered_later_may_still_be_dated_before_an_erasure() =>
        Given(In("Resolved"), new PersonalDataErased("court order", T(100), "admin"))
            .When(new RecordFollowUp(true, 5) { At = T(7) })
            .Then(events => events.OfType<FollowUpRecorded>().ShouldHaveSingleItem().At.ShouldBe(T(7)));
}

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

public class PersonalDataTests
{
    /// <summary>
    /// The office's own names and codes, who recorded a step, and the erasure's own record: kept. So is the hash of the
    /// access code, which says nothing of the complainant (the code is random) and keeps a code given before working.
    /// </summary>
    private static readonly string[] Kept =
        ["TrackingNumber", "Category", "Department", "Handler", "EscalatedTo", "Reviewer", "By", "LegalBasis", "ErasedComplainantKey",
         "AccessCodeHash"];

    public static TheoryData<string> EveryEvent => new(typeof(IComplaintEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IComplaintEvent))).Select(t => t.Name));

    /// <summary>Every text field of every event filled in: a text field added later and not erased fails here.</summary>
    [Theory, MemberData(nameof(EveryEvent))]
    public void erasure_leaves_no_text_a_person_wrote_in_any_event(string name)
    {
        var type = typeof(IComplaintEvent).Assembly.GetTypes().Single(t => t.Name == name && t.IsAssignableTo(typeof(IComplaintEvent)));
        var fact = (IComplaintEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            if (property.PropertyType == typeof(string)) property.SetValue(fact, "secret " + property.Name);
            else if (property.PropertyType == typeof(Complainant))
                property.SetValue(fact, new Complainant("secret name", "secret phone", "secret email", "secret address"));

        var erased = PersonalData.Erase(fact);

        foreach (var property in type.GetProperties().Where(p => !Kept.Contains(p.Name)))
            System.Text.Json.JsonSerializer.Serialize(property.GetValue(erased))
                .ShouldNotContain("secret", customMessage: $"{type.Name}.{property.Name} is not erased");
        foreach (var property in type.GetProperties().Where(p => Kept.Contains(p.Name) && p.CanWrite && p.PropertyType == typeof(string)))
            property.GetValue(erased).ShouldBe(property.GetValue(fact), $"{type.Name}.{property.Name} is kept");
    }

    [Fact]
    public void an_erased_event_is_erased_already() =>
        PersonalData.Erase(PersonalData.Erase(new EvidenceRecorded(EvidenceKind.Statement, "said so", "a neighbour", T(1), User)))
            .ShouldBe(new EvidenceRecorded(EvidenceKind.Statement, PersonalData.Erased, PersonalData.Erased, T(1), User));

    [Fact]
    public void the_location_goes_with_the_erasure_as_it_goes_from_the_erased_receipt()
    {
        var received = Given(In("Received")).State;
        received.Location.ShouldNotBeNull();
        received.After(new PersonalDataErased("court order", T(50), "admin")).Location.ShouldBe(PersonalData.Erased);
    }
}

namespace Complaints.Domain;

/// <summary>
/// Erases the complainant's identity and contact on a lawful request. The request itself is recorded with its legal
/// basis, in any state, closed and archived cases included; it changes neither the status nor the statistics.
/// </summary>
[CommandName("erase-personal-data")]
public sealed record ErasePersonalData(string? LegalBasis) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(LegalBasis), LegalBasis, 2_000);
        if (At is not null) errors.Add(nameof(At), "an erasure is recorded when it is carried out and cannot be dated otherwise");
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context) =>
        [new PersonalDataErased(LegalBasis!.Trim(), at, context.User)];
}

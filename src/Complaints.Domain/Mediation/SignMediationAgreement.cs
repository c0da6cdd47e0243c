namespace Complaints.Domain;

/// <summary>
/// The parties signed an agreement, in triplicate (each party and the office keep a copy). The office then
/// supervises its performance; the case counts as resolved.
/// </summary>
[CommandName("mediation/agreement")]
public sealed record SignMediationAgreement(string? Terms, int? Copies = null) : ComplaintCommand
{
    public const int Triplicate = 3;

    protected override string PastParticiple() => "settled by a signed agreement";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Terms), Terms);
        if (Copies is { } n && n < Triplicate)
            errors.Add(nameof(Copies), $"an agreement is signed in triplicate (each party and the office keep a copy), not {n}");
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.InMediation);
        return [new MediationAgreementSigned(Terms!.Trim(), Copies ?? Triplicate, at, context.User)];
    }
}

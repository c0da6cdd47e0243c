namespace Complaints.Domain;

/// <summary>
/// Whether the dispute can be mediated between the parties. Eligible: the case enters mediation. Not eligible:
/// the reason (per law) is recorded and the case goes on as before.
/// </summary>
[CommandName("mediation")]
public sealed record AssessMediation(bool? Eligible, string? Reason) : ComplaintCommand
{
    protected override string PastParticiple() => "assessed for mediation";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Eligible), Eligible);
        errors.Required(nameof(Reason), Reason);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.Routable);
        return [new MediationAssessed(Eligible!.Value, Reason!.Trim(), at, context.User)];
    }
}

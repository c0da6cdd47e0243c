namespace Complaints.Domain;

/// <summary>Mediation failed: the parties are referred to litigation or arbitration, which closes the case as Referred.</summary>
[CommandName("mediation/failure")]
public sealed record RecordMediationFailure(Referral? Referral, string? Reason) : ComplaintCommand
{
    protected override string PastParticiple() => "marked as failed mediation";

    protected override void Validate(ValidationErrors errors)
    {
        errors.RequiredChoice(nameof(Referral), Referral);
        errors.Required(nameof(Reason), Reason);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.InMediation);
        return
        [
            new MediationFailed(Referral!.Value, Reason!.Trim(), at, context.User),
            new ComplaintClosed(CloseReason.Referred, $"referred to {Referral}", at, context.User),
        ];
    }
}

namespace Complaints.Domain;

/// <summary>A hard case reported upward to management. The case stays where it is; the escalation is on record.</summary>
[CommandName("escalate")]
public sealed record EscalateComplaint(string? Reason, string? To = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Reason), Reason);
        errors.MaxLength(nameof(To), To, 200);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating,
            ComplaintStatus.InMediation);
        return [new ComplaintEscalated(Reason!.Trim(), To, at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>The complainant may withdraw at any time before the case is closed.</summary>
[CommandName("withdraw")]
public sealed record WithdrawComplaint(string? Reason = null) : ComplaintCommand
{
    protected override string PastParticiple() => "withdrawn";

    protected override void Validate(ValidationErrors errors) => errors.MaxLength(nameof(Reason), Reason);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        if (!complaint.IsOpen)
            throw Refuse("withdraw-after-close", $"complaint is {complaint.Describe()}; a complaint can be withdrawn only before it is closed");
        return
        [
            new ComplaintWithdrawn(Reason, at, context.User),
            new ComplaintClosed(CloseReason.Withdrawn, Reason, at, context.User),
        ];
    }
}

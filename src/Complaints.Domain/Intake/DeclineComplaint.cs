namespace Complaints.Domain;

/// <summary>Outside scope or not eligible. The explanation is the reply the complainant sees; declining closes the case.</summary>
[CommandName("decline")]
public sealed record DeclineComplaint(string? Reason, string? Explanation) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Reason), Reason, 500);
        errors.Required(nameof(Explanation), Explanation);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Received, ComplaintStatus.Accepted);
        return
        [
            new ComplaintDeclined(Reason!, Explanation!, at, context.User),
            new ComplaintClosed(CloseReason.Declined, Reason, at, context.User),
        ];
    }
}

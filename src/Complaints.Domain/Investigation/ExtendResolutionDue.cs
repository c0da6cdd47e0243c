namespace Complaints.Domain;

/// <summary>A supervisor grants more time: the resolution due date moves later.</summary>
[CommandName("extend")]
public sealed record ExtendResolutionDue(DateTimeOffset? DueAt, string? Reason) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(DueAt), DueAt);
        errors.Required(nameof(Reason), Reason);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Assigned, ComplaintStatus.Investigating, ComplaintStatus.InMediation,
            ComplaintStatus.EscalatedToHigherLevel);
        if (complaint.DueAt is not { } current)
            throw Refuse("no-due-date", "the complaint has no due date to extend; assign it with one");
        if (DueAt!.Value <= current)
            throw Refuse("extension-not-later", $"the new due date {DueAt:O} is not later than the current one {current:O}");
        if (DueAt.Value <= at)
            throw new ComplaintCommandInvalid(new Dictionary<string, string[]> { ["dueAt"] = [$"{DueAt:O} is not after the extension at {at:O}"] });
        return [new ResolutionDueExtended(current, DueAt.Value, Reason!.Trim(), at, context.User)];
    }
}

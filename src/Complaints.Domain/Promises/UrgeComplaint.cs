namespace Complaints.Domain;

/// <summary>A supervisor urges an open case on (督办), typically one that missed a promise.</summary>
public sealed record UrgeComplaint(string? Note) : ComplaintCommand
{
    public override string Action() => "urge";

    protected override void Validate(ValidationErrors errors) => errors.Required(nameof(Note), Note, 2_000);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Received, ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating,
            ComplaintStatus.Resolved, ComplaintStatus.InMediation, ComplaintStatus.AwaitingReReview, ComplaintStatus.EscalatedToHigherLevel);
        return [new ComplaintUrged(Note!.Trim(), at, context.User)];
    }
}

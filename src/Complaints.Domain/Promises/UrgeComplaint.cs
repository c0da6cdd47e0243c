namespace Complaints.Domain;

/// <summary>A supervisor urges an open case on (督办), typically one that missed a promise.</summary>
[CommandName("urge")]
public sealed record UrgeComplaint(string? Note) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors) => errors.Required(nameof(Note), Note, 2_000);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.Open);
        return [new ComplaintUrged(Note!.Trim(), at, context.User)];
    }
}

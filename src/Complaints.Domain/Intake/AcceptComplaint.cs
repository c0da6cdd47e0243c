namespace Complaints.Domain;

/// <summary>The complaint meets the criteria and is registered for handling.</summary>
public sealed record AcceptComplaint(string? Note = null) : ComplaintCommand
{
    public override string Action() => "accept";

    protected override void Validate(ValidationErrors errors) => errors.MaxLength(nameof(Note), Note);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Received);
        return [new ComplaintAccepted(Note, at, context.User)];
    }
}

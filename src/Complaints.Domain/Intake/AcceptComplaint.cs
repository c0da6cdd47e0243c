namespace Complaints.Domain;

/// <summary>The complaint meets the criteria and is registered for handling, with the promises of its category.</summary>
[CommandName("accept")]
public sealed record AcceptComplaint(string? Note = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors) => errors.MaxLength(nameof(Note), Note);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Received);
        var terms = context.Policies.Promises.For(complaint.Category);
        return
        [
            new ComplaintAccepted(Note, at, context.User),
            new ServicePromisesGiven(complaint.Category, terms, at + terms.ResolutionWithin, at, context.User),
        ];
    }
}

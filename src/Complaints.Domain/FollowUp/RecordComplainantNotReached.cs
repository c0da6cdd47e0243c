namespace Complaints.Domain;

/// <summary>
/// A follow-up attempt that did not reach the complainant. The first such attempt opens the reply window; later
/// attempts are recorded but do not move it, so that a case nobody can reach still closes.
/// </summary>
[CommandName("follow-up/not-reached")]
public sealed record RecordComplainantNotReached(string? Note = null) : ComplaintCommand
{
    protected override string PastParticiple() => "followed up";

    protected override void Validate(ValidationErrors errors) => errors.MaxLength(nameof(Note), Note);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Resolved);
        var terms = complaint.Promises ?? context.Policies.Promises.For(complaint.Category);
        var replyBy = complaint.ComplainantReplyBy ?? at + terms.ComplainantReplyWithin;
        return [new ComplainantNotReached(Note, replyBy, at, context.User)];
    }
}

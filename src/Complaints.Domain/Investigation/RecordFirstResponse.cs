namespace Complaints.Domain;

/// <summary>
/// The handler reached the site or the complainant: the first-response promise is measured to here. A case whose
/// investigation began without one recorded (evidence first) may still record it, once.
/// </summary>
[CommandName("first-response")]
public sealed record RecordFirstResponse(string? Note = null) : ComplaintCommand
{
    protected override string PastParticiple() => "responded to";

    protected override void Validate(ValidationErrors errors) => errors.MaxLength(nameof(Note), Note);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        if (!(complaint.Status == ComplaintStatus.Investigating && !complaint.FirstResponded))
            RequireStatus(complaint, ComplaintStatus.Assigned);
        return [new FirstResponseMade(Note, at, context.User)];
    }
}

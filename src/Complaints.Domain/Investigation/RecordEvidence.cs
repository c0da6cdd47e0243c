namespace Complaints.Domain;

/// <summary>Evidence gathered, or a statement taken from one of the parties.</summary>
[CommandName("evidence")]
public sealed record RecordEvidence(EvidenceKind? Kind, string? Description, string? Party = null) : ComplaintCommand
{
    protected override string PastParticiple() => "documented with evidence";

    protected override void Validate(ValidationErrors errors)
    {
        errors.RequiredChoice(nameof(Kind), Kind);
        errors.Required(nameof(Description), Description);
        errors.MaxLength(nameof(Party), Party, 200);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Assigned, ComplaintStatus.Investigating, ComplaintStatus.InMediation,
            ComplaintStatus.EscalatedToHigherLevel);
        return [new EvidenceRecorded(Kind!.Value, Description!.Trim(), Party, at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>Sets category, severity and priority; may be repeated while the case is worked, to correct them.</summary>
public sealed record TriageComplaint(string? Category, Severity? Severity, Priority? Priority) : ComplaintCommand
{
    public override string Action() => "triage";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Category), Category, 200);
        errors.RequiredChoice(nameof(Severity), Severity);
        errors.RequiredChoice(nameof(Priority), Priority);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating);
        return [new ComplaintTriaged(Category!.Trim(), Severity!.Value, Priority!.Value, at, context.User)];
    }
}

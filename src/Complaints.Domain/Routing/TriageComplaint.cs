namespace Complaints.Domain;

/// <summary>Sets category, severity and priority; may be repeated while the case is worked, to correct them.</summary>
public sealed record TriageComplaint(string? Category, Severity? Severity, Priority? Priority) : ComplaintCommand
{
    public override string Action() => "triage";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Category), Category, 200);
        errors.Required(nameof(Severity), Severity);
        if (Severity is { } s && !Enum.IsDefined(s)) errors.Add(nameof(Severity), $"{(int)s} is not a severity");
        errors.Required(nameof(Priority), Priority);
        if (Priority is { } p && !Enum.IsDefined(p)) errors.Add(nameof(Priority), $"{(int)p} is not a priority");
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating);
        return [new ComplaintTriaged(Category!.Trim(), Severity!.Value, Priority!.Value, at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>What the investigation established: whether the complaint is substantiated, and why.</summary>
[CommandName("findings")]
public sealed record RecordFindings(bool? Substantiated, string? Summary) : ComplaintCommand
{
    protected override string PastParticiple() => "given findings";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Substantiated), Substantiated);
        errors.Required(nameof(Summary), Summary);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Assigned, ComplaintStatus.Investigating, ComplaintStatus.EscalatedToHigherLevel);
        return [new FindingsRecorded(Substantiated!.Value, Summary!.Trim(), at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>Files a closed case away (归档). Its history stays readable.</summary>
[CommandName("archive")]
public sealed record ArchiveComplaint : ComplaintCommand
{
    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Closed);
        return [new ComplaintArchived(at, context.User)];
    }
}

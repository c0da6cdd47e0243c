namespace Complaints.Domain;

/// <summary>
/// A remedy proposed and carried out, with the reply the complainant is given. Resolving an accepted case that
/// was never assigned is a first-contact resolution.
/// </summary>
[CommandName("resolve")]
public sealed record ResolveComplaint(Remedy? Remedy, string? Description, string? Reply, decimal? Amount = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.RequiredChoice(nameof(Remedy), Remedy);
        errors.Required(nameof(Description), Description);
        errors.Required(nameof(Reply), Reply);
        if (Amount is < 0) errors.Add(nameof(Amount), "cannot be negative");
        if (Remedy is Domain.Remedy.Refund or Domain.Remedy.Compensation && Amount is null or 0)
            errors.Add(nameof(Amount), $"is required for a {Remedy}");
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating,
            ComplaintStatus.EscalatedToHigherLevel);
        var firstContact = complaint.Status == ComplaintStatus.Accepted && !complaint.EverAssigned && complaint.ReReviewRound == 0;
        return [new ComplaintResolved(Remedy!.Value, Description!.Trim(), Amount, Reply!.Trim(), firstContact, at, context.User)];
    }
}

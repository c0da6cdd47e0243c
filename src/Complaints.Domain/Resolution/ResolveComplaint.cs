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
        return [new ComplaintResolved(Remedy!.Value, Description!.Trim(), Amount, Reply!.Trim(), AtFirstContact(complaint), at, context.User)];
    }

    private static bool AtFirstContact(Complaint complaint) =>
        complaint.Status == ComplaintStatus.Accepted && !complaint.EverAssigned && complaint.ReReviewRound == 0;

    /// <summary>Reported to management, or sent to the higher level after the last re-review round.</summary>
    private static bool Escalated(Complaint complaint) =>
        complaint.Escalations > 0 || complaint.Status == ComplaintStatus.EscalatedToHigherLevel;

    /// <summary>As the role table says: intake resolves at first contact, a manager what was escalated, a handler what they hold.</summary>
    protected override bool Permits(string role, Complaint complaint, string user, Acting acting) => role switch
    {
        Role.Intake => AtFirstContact(complaint),
        Role.Manager => Escalated(complaint),
        _ => base.Permits(role, complaint, user, acting),
    };

    protected override string Condition(string role) => role switch
    {
        Role.Intake => "an intake agent resolves only at first contact (an accepted case never assigned)",
        Role.Manager => "a manager resolves only a case escalated to management or to the higher level",
        _ => base.Condition(role),
    };
}

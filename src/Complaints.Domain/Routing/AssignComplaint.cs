namespace Complaints.Domain;

/// <summary>
/// Routes the case to a department and handler, with a due date. Without a department the routing table picks
/// the one for the case's category. Assigning a case already assigned reassigns it.
/// </summary>
[CommandName("assign")]
public sealed record AssignComplaint(string? Handler, string? Department = null, DateTimeOffset? DueAt = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Handler), Handler, 200);
        errors.MaxLength(nameof(Department), Department, 200);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.Routable);
        var department = string.IsNullOrWhiteSpace(Department)
            ? context.Policies.Routing.DepartmentFor(complaint.Category)
            : Department.Trim();
        if (department is null)
            throw Refuse("department-unknown", complaint.Category is null
                ? "no department given and the complaint has no category to route by; triage it or name the department"
                : $"no department given and the routing table has none for category '{complaint.Category}'");
        var assigned = new ComplaintAssigned(department, Handler!.Trim(), DueAt, at, context.User);
        if (DueAt is { } due && due <= at)
        {
            var reason = $"{due:O} is not after the assignment at {at:O}";
            // History from a source keeps the due date it gave: the promise was missed the moment it was made.
            if (context.FromSource) return [assigned, Noted(SourceAnomaly.DueNotAfterAssignment, "dueAt " + reason, context)];
            throw new ComplaintCommandInvalid(new Dictionary<string, string[]> { ["dueAt"] = [reason] });
        }
        return [assigned];
    }
}

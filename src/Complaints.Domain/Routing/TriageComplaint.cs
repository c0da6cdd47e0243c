namespace Complaints.Domain;

/// <summary>Sets category, severity and priority; may be repeated while the case is worked, to correct them.</summary>
[CommandName("triage")]
public sealed record TriageComplaint(string? Category, Severity? Severity, Priority? Priority) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Category), Category, 200);
        errors.RequiredChoice(nameof(Severity), Severity);
        errors.RequiredChoice(nameof(Priority), Priority);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.Routable);
        var category = Category!.Trim();
        var triaged = new ComplaintTriaged(category, Severity!.Value, Priority!.Value, at, context.User);
        // Moving to a category with promises of its own gives the case those terms; a due date set by hand stands.
        // The same category keeps the terms the case was given, whatever the policy says now.
        var terms = context.Policies.Promises.For(category);
        if (complaint.Promises is not { } given || string.Equals(category, complaint.Category, StringComparison.OrdinalIgnoreCase) || given == terms)
            return [triaged];
        var resolutionDue = complaint.DueAtFromPromise || complaint.DueAt is null ? complaint.AcceptedAt + terms.ResolutionWithin : null;
        return [triaged, new ServicePromisesGiven(category, terms, resolutionDue, at, context.User)];
    }
}

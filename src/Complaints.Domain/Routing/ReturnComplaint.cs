namespace Complaints.Domain;

/// <summary>The department sends back a case that is not theirs (退单); it then waits to be reassigned.</summary>
[CommandName("return")]
public sealed record ReturnComplaint(string? Reason) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors) => errors.Required(nameof(Reason), Reason);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.BeingWorked);
        if (complaint.Department is null || complaint.Handler is null)
            throw Refuse("not-assigned", "no department holds the complaint (it was resolved at first contact and never assigned); there is nothing to return");
        return [new ComplaintReturned(complaint.Department!, complaint.Handler!, Reason!, at, context.User)];
    }
}

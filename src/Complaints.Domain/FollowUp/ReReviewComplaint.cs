namespace Complaints.Domain;

/// <summary>A reviewer takes up an unsatisfied complainant's case (复审) and revises the plan; it is then worked again.</summary>
[CommandName("re-review")]
public sealed record ReReviewComplaint(string? RevisedPlan, string? Reviewer = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(RevisedPlan), RevisedPlan);
        errors.MaxLength(nameof(Reviewer), Reviewer, 200);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.AwaitingReReview);
        var reviewer = string.IsNullOrWhiteSpace(Reviewer) ? context.User : Reviewer.Trim();
        return [new ComplaintReReviewed(reviewer, RevisedPlan!.Trim(), complaint.ReReviewRound, at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>
/// The follow-up visit (回访) after a resolution. Its outcome decides what comes next: the fix not carried out
/// goes back for rectification; satisfied closes the case; unsatisfied opens a re-review while rounds remain,
/// and after the last round sends the case to a higher level.
/// </summary>
[CommandName("follow-up")]
public sealed record RecordFollowUp(bool? Satisfied, int? Score, bool? Rectified = null, string? Comment = null) : ComplaintCommand
{
    protected override string PastParticiple() => "followed up";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(Satisfied), Satisfied);
        errors.Required(nameof(Score), Score);
        if (Score is < 1 or > 5) errors.Add(nameof(Score), $"is {Score}; a score runs from 1 to 5");
        errors.MaxLength(nameof(Comment), Comment);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.Resolved);
        var satisfied = Satisfied!.Value;
        var carriedOut = Rectified ?? true;
        var followUp = new FollowUpRecorded(satisfied, Score!.Value, carriedOut, Comment, complaint.ReReviewRound, at, context.User);

        if (!carriedOut)
            return [followUp, new RectificationOrdered(complaint.Handler, Comment, at, context.User)];
        if (satisfied)
            return [followUp, new ComplaintClosed(CloseReason.Satisfied, null, at, context.User)];
        if (complaint.ReReviewRound < context.Policies.ReReview.MaxRounds)
            return [followUp, new ReReviewRequested(complaint.ReReviewRound + 1, Score.Value, Comment, complaint.LastRemedy, at, context.User)];
        return [followUp, new ComplaintEscalatedToHigherLevel(complaint.ReReviewRound, Comment, at, context.User)];
    }
}

namespace Complaints.Domain;

/// <summary>
/// Closes a case (办结) for a reason that no other step records by itself: referred elsewhere, no response to the
/// follow-up, or a mediated agreement performed. Satisfied, declined and withdrawn cases close through their own steps.
/// </summary>
[CommandName("close")]
public sealed record CloseComplaint(CloseReason? Reason, string? Note = null) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        errors.RequiredChoice(nameof(Reason), Reason);
        errors.MaxLength(nameof(Note), Note);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        switch (Reason!.Value)
        {
            case CloseReason.Satisfied:
                throw Refuse("satisfied-needs-follow-up", "a case closes as Satisfied through a satisfied follow-up");
            case CloseReason.Declined:
                throw Refuse("declined-needs-decline", "a case closes as Declined by declining it, with the explanation given");
            case CloseReason.Withdrawn:
                throw Refuse("withdrawn-needs-withdraw", "a case closes as Withdrawn when the complainant withdraws it");
            case CloseReason.Referred:
                RequireStatus(complaint, Statuses.Unresolved);
                break;
            case CloseReason.NoResponse:
                RequireStatus(complaint, ComplaintStatus.Resolved);
                break;
            case CloseReason.AgreementPerformed:
                RequireStatus(complaint, ComplaintStatus.Resolved);
                if (!complaint.ResolvedByAgreement)
                    throw Refuse("no-agreement", "the complaint was not resolved by a mediation or settlement agreement");
                break;
        }
        return [new ComplaintClosed(Reason.Value, Note, at, context.User)];
    }
}

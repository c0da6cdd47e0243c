using Complaints.Domain;

namespace Complaints.Projections.Analytics;

/// <summary>
/// A working copy of one row of analytics.complaint_cases while a batch of events is projected: each event changes it
/// in memory, and the row is written once per batch. Every time is the time the fact happened.
/// </summary>
internal sealed class CaseRow
{
    public Guid ComplaintId;
    public string TrackingNumber = "";
    public string Channel = "";
    public string? Category;
    public string? Department;
    public string? Location;
    public string? ComplainantKey;
    public string Status = "Received";
    public string? CloseReason;
    public DateTimeOffset ReceivedAt;
    public DateTimeOffset? AcceptedAt;
    public DateTimeOffset? DeclinedAt;
    public DateTimeOffset? FirstAssignedAt;
    public DateTimeOffset? DueAt;
    public DateTimeOffset? ExpectedBy;
    public DateTimeOffset? FirstResponseAt;
    public DateTimeOffset? FirstResolvedAt;
    public DateTimeOffset? ResolvedAt;
    public string? FirstRemedy;
    public bool FirstContact;
    public DateTimeOffset? FirstFollowUpAt;
    public DateTimeOffset? ClosedAt;
    public int Returns;
    public int Escalations;
    public DateTimeOffset? EscalatedToHigherLevelAt;
    public int ReReviewRounds;
    public string? MediationOutcome;
    public DateTimeOffset? MediationEndedAt;
    public string? Referral;
    public int? LastScore;
    public bool? LastSatisfied;
    public int MissedPromises;
    public int Urgings;
    public DateTimeOffset LastEventAt;

    public static CaseRow Received(ComplaintReceived e, string? complainantKey) => new()
    {
        ComplaintId = e.ComplaintId,
        TrackingNumber = e.TrackingNumber,
        Channel = e.Channel.ToString(),
        Category = e.Category,
        Location = e.Location,
        ComplainantKey = complainantKey,
        ReceivedAt = e.At,
        LastEventAt = e.At,
    };

    /// <summary>
    /// Applies one event to the row. Returns false for an event that does not touch the case's row (a withdrawal
    /// only ends a re-review round), so its time does not count as the case's last event.
    /// </summary>
    public bool Apply(IComplaintEvent fact)
    {
        switch (fact)
        {
            case ComplaintAccepted: Status = "Accepted"; AcceptedAt ??= fact.At; break;
            case ComplaintDeclined: DeclinedAt = fact.At; break;
            case ComplaintTriaged e: Category = e.Category; break;
            case ComplaintAssigned e:
                Status = "Assigned";
                Department = e.Department;
                FirstAssignedAt ??= e.At;
                DueAt = e.DueAt ?? DueAt;
                break;
            case ComplaintReturned: Status = "Accepted"; Department = null; Returns++; break;
            case FirstResponseMade: Status = "Investigating"; FirstResponseAt ??= fact.At; break;
            case EvidenceRecorded or FindingsRecorded: if (Status == "Assigned") Status = "Investigating"; break;
            case ComplaintEscalated: Escalations++; break;
            case ExpectedResolutionDateGiven e: ExpectedBy = e.ExpectedBy; break;
            case ResolutionDueExtended e: DueAt = e.DueAt; break;
            case ComplaintResolved e: Resolved(e.At, e.Remedy, e.FirstContact, mediationOutcome: null); break;
            case MediationAssessed e:
                if (e.Eligible) Status = "InMediation";
                MediationOutcome = e.Eligible ? "InMediation" : "NotEligible";
                break;
            case MediationAgreementSigned: Resolved(fact.At, Remedy.Other, firstContact: false, "Agreement"); break;
            case SettledByParties: Resolved(fact.At, Remedy.Other, firstContact: false, "Settled"); break;
            case MediationFailed e: MediationOutcome = "Failed"; Referral = e.Referral.ToString(); MediationEndedAt = e.At; break;
            case FollowUpRecorded e: FirstFollowUpAt ??= e.At; LastScore = e.Score; LastSatisfied = e.Satisfied; break;
            case RectificationOrdered: Status = FirstAssignedAt is null ? "Investigating" : "Assigned"; break;
            case ReReviewRequested e: Status = "AwaitingReReview"; ReReviewRounds = e.Round; break;
            case ComplaintReReviewed: Status = "Investigating"; break;
            case ComplaintEscalatedToHigherLevel: Status = "EscalatedToHigherLevel"; EscalatedToHigherLevelAt = fact.At; break;
            case ComplaintClosed e: Status = "Closed"; CloseReason = e.Reason.ToString(); ClosedAt = e.At; break;
            case ComplaintArchived: Status = "Archived"; break;
            case ServicePromisesGiven e: DueAt = e.ResolutionDueAt ?? DueAt; break;
            case ServicePromiseMissed: MissedPromises++; break;
            case ComplaintUrged: Urgings++; break;
            default: return false;
        }
        if (fact.At > LastEventAt) LastEventAt = fact.At;
        return true;
    }

    private void Resolved(DateTimeOffset at, Remedy remedy, bool firstContact, string? mediationOutcome)
    {
        Status = "Resolved";
        ResolvedAt = at;
        FirstResolvedAt ??= at;
        FirstRemedy ??= remedy.ToString();
        FirstContact |= firstContact;
        if (mediationOutcome is not null)
        {
            MediationOutcome = mediationOutcome;
            MediationEndedAt = at;
        }
    }
}

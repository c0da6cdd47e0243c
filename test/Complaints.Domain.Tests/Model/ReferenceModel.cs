using Complaints.Projections.Complaints;

namespace Complaints.Domain.Tests.Model;

/// <summary>
/// What the events seen so far say about a complaint, tallied plainly from the events themselves and the lifecycle told
/// in Events.cs, without the fold: the model the fold and every view are held to. Written apart from the fold on
/// purpose, so that a mistake would have to be made twice, the same way, to go unseen.
/// </summary>
public sealed class ReferenceModel
{
    public int Events { get; private set; }

    /// <summary>The status the last status-changing event left the case in.</summary>
    public ComplaintStatus Status { get; private set; }

    public CloseReason? CloseReason { get; private set; }

    // First and latest times.
    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? DeclinedAt { get; private set; }
    public DateTimeOffset? FirstAssignedAt { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public DateTimeOffset? FirstResponseAt { get; private set; }
    public DateTimeOffset? FirstResolvedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? FirstFollowUpAt { get; private set; }
    public DateTimeOffset? ReReviewRequestedAt { get; private set; }
    public DateTimeOffset? EscalatedToHigherLevelAt { get; private set; }
    public DateTimeOffset? MediationEndedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }
    public DateTimeOffset? PersonalDataErasedAt { get; private set; }

    /// <summary>The hash of the access code given last, at receipt or since; null while none was given.</summary>
    public string? AccessCodeHash { get; private set; }

    /// <summary>The latest step in handling the case: urgings, missed promises, erasures and new access codes are not steps.</summary>
    public DateTimeOffset LastStepAt { get; private set; }

    /// <summary>The latest fact about the case, urgings and missed promises included; an erasure or a new access code is not about the case.</summary>
    public DateTimeOffset LastEventAt { get; private set; }

    // Counts.
    public int Assignments { get; private set; }
    public int Returns { get; private set; }
    public int Evidence { get; private set; }
    public int Escalations { get; private set; }
    public int HigherLevelEscalations { get; private set; }
    public int Resolutions { get; private set; }
    public int FollowUps { get; private set; }
    public int FollowUpAttempts { get; private set; }
    public int Urgings { get; private set; }
    public int ReReviewsRequested { get; private set; }

    /// <summary>Data-quality notes on steps a source dated out of order.</summary>
    public int SourceAnomalies { get; private set; }

    /// <summary>The round the last re-review request asked for; 0 before any.</summary>
    public int LastRequestedRound { get; private set; }

    public int? LastScore { get; private set; }

    /// <summary>A re-review was requested and the case has not been re-reviewed, withdrawn or closed since.</summary>
    public bool WaitingForReReview { get; private set; }

    /// <summary>Every promise recorded as missed, and when its step happened after all or the case closed without it.</summary>
    public List<MissedPromiseView> MissedPromises { get; } = [];

    public void Apply(object @event)
    {
        Events++;
        var at = ((IComplaintEvent)@event).At;
        if (@event is not (ComplaintUrged or ServicePromiseMissed or PersonalDataErased or AccessCodeIssued or SourceAnomalyNoted) && at > LastStepAt) LastStepAt = at;
        if (@event is not (PersonalDataErased or AccessCodeIssued or SourceAnomalyNoted) && at > LastEventAt) LastEventAt = at;

        switch (@event)
        {
            case ComplaintReceived received:
                Status = ComplaintStatus.Received;
                ReceivedAt = LastStepAt = at;
                AccessCodeHash = received.AccessCodeHash;
                break;
            case ComplaintAccepted:
                Status = ComplaintStatus.Accepted;
                AcceptedAt ??= at;
                break;
            // Declining, failed mediation and withdrawal close the case through the ComplaintClosed recorded with them.
            case ComplaintDeclined: DeclinedAt = at; break;
            case MediationFailed: MediationEndedAt = at; break;
            case ComplaintWithdrawn: WaitingForReReview = false; break;
            case ComplaintAssigned:
                Status = ComplaintStatus.Assigned;
                Assignments++;
                FirstAssignedAt ??= at;
                AssignedAt = at;
                break;
            case ComplaintReturned:
                Status = ComplaintStatus.Accepted;
                Returns++;
                break;
            case FirstResponseMade:
                Status = ComplaintStatus.Investigating;
                FirstResponseAt ??= at;
                break;
            case EvidenceRecorded:
                Evidence++;
                StartInvestigation();
                break;
            case FindingsRecorded: StartInvestigation(); break;
            // A hard case reported to management goes on where it was.
            case ComplaintEscalated: Escalations++; break;
            case MediationAssessed { Eligible: true }: Status = ComplaintStatus.InMediation; break;
            case ComplaintResolved: Resolve(at); break;
            case MediationAgreementSigned or SettledByParties:
                Resolve(at);
                MediationEndedAt = at;
                break;
            case FollowUpRecorded followUp:
                FollowUps++;
                FirstFollowUpAt ??= at;
                LastScore = followUp.Score;
                break;
            case ComplainantNotReached: FollowUpAttempts++; break;
            // Back to the handler to put it right; a case resolved at first contact never had one and is worked again.
            case RectificationOrdered: Status = FirstAssignedAt is null ? ComplaintStatus.Investigating : ComplaintStatus.Assigned; break;
            case ReReviewRequested request:
                Status = ComplaintStatus.AwaitingReReview;
                ReReviewsRequested++;
                LastRequestedRound = request.Round;
                ReReviewRequestedAt = at;
                WaitingForReReview = true;
                break;
            case ComplaintReReviewed:
                Status = ComplaintStatus.Investigating;
                WaitingForReReview = false;
                break;
            case ComplaintEscalatedToHigherLevel:
                Status = ComplaintStatus.EscalatedToHigherLevel;
                HigherLevelEscalations++;
                EscalatedToHigherLevelAt = at;
                break;
            case ComplaintClosed closed:
                Status = ComplaintStatus.Closed;
                CloseReason = closed.Reason;
                ClosedAt = at;
                WaitingForReReview = false;
                break;
            case ComplaintArchived:
                Status = ComplaintStatus.Archived;
                ArchivedAt = at;
                break;
            case PersonalDataErased: PersonalDataErasedAt = at; break;
            case AccessCodeIssued issued: AccessCodeHash = issued.AccessCodeHash; break;
            case ServicePromiseMissed missed: MissedPromises.Add(new MissedPromiseView(missed.Promise, missed.DueAt, at)); break;
            case ComplaintUrged: Urgings++; break;
            case SourceAnomalyNoted: SourceAnomalies++; break;
        }

        for (var i = 0; i < MissedPromises.Count; i++)
            if (MissedPromises[i] is { KeptAt: null, EndedUnkeptAt: null } missed)
                if (StepOf(missed.Promise, @event)) MissedPromises[i] = missed with { KeptAt = at };
                else if (@event is ComplaintClosed) MissedPromises[i] = missed with { EndedUnkeptAt = at };
    }

    /// <summary>Evidence or findings on an assigned case start its investigation.</summary>
    private void StartInvestigation()
    {
        if (Status == ComplaintStatus.Assigned) Status = ComplaintStatus.Investigating;
    }

    private void Resolve(DateTimeOffset at)
    {
        Status = ComplaintStatus.Resolved;
        Resolutions++;
        FirstResolvedAt ??= at;
        ResolvedAt = at;
    }

    /// <summary>Whether the event is the step the promise promised.</summary>
    private static bool StepOf(ServicePromise promise, object @event) => promise switch
    {
        // A resolution answers for a first response never recorded.
        ServicePromise.FirstResponse => @event is FirstResponseMade or ComplaintResolved or MediationAgreementSigned or SettledByParties,
        ServicePromise.Resolution => @event is ComplaintResolved or MediationAgreementSigned or SettledByParties,
        // Trying to reach the complainant keeps the follow-up promise, whether or not they answer.
        ServicePromise.FollowUp => @event is FollowUpRecorded or ComplainantNotReached,
        ServicePromise.ReReview => @event is ComplaintReReviewed,
        _ => false,
    };
}

namespace Complaints.Domain;

/// <summary>
/// The write model: just what the decisions need, folded from the complaint's events. Immutable: folding
/// returns a new value, so a loaded complaint is never changed in place.
/// </summary>
public sealed record Complaint
{
    public Guid Id { get; init; }
    public string TrackingNumber { get; init; } = "";
    public ComplaintStatus Status { get; init; }
    public CloseReason? CloseReason { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the latest step happened; a later step may not be dated before it.</summary>
    public DateTimeOffset LastStepAt { get; init; }

    public string? Category { get; init; }
    public string? Department { get; init; }
    public string? Handler { get; init; }
    public bool EverAssigned { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public Remedy? LastRemedy { get; init; }
    public bool ResolvedByAgreement { get; init; }

    /// <summary>Re-reviews requested so far; bounded by the re-review policy.</summary>
    public int ReReviewRound { get; init; }

    // The service promises: the terms given, and when each promised step falls due.
    public ServicePromiseTerms? Promises { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public bool FirstResponded { get; init; }
    public bool EverResolved { get; init; }

    /// <summary>Whether the due date is the resolution promise's own (a triage into other terms moves it) or was set by hand.</summary>
    public bool DueAtFromPromise { get; init; }

    public DateTimeOffset? FirstResponseDueAt { get; init; }
    public DateTimeOffset? FollowUpDueFrom { get; init; }
    public DateTimeOffset? FollowUpDueBy { get; init; }
    public DateTimeOffset? ReReviewDueBy { get; init; }
    public DateTimeOffset? ComplainantReplyBy { get; init; }

    /// <summary>The due of each promise last recorded as missed, so that a timer delivered twice records the miss once.</summary>
    public IReadOnlyDictionary<ServicePromise, DateTimeOffset> MissedDues { get; init; } = new Dictionary<ServicePromise, DateTimeOffset>();

    public static Complaint Create(ComplaintReceived e) => new()
    {
        Id = e.ComplaintId,
        TrackingNumber = e.TrackingNumber,
        Status = ComplaintStatus.Received,
        ReceivedAt = e.At,
        LastStepAt = e.At,
        Category = e.Category,
    };

    /// <summary>The pure fold: the complaint after one more event.</summary>
    public Complaint Apply(object @event)
    {
        var next = @event switch
        {
            ComplaintReceived e => Create(e),
            ComplaintAccepted e => this with { Status = ComplaintStatus.Accepted, AcceptedAt = e.At },
            ComplaintDeclined => this,
            ComplaintTriaged e => this with { Category = e.Category },
            ComplaintAssigned e => this with
            {
                Status = ComplaintStatus.Assigned,
                Department = e.Department,
                Handler = e.Handler,
                EverAssigned = true,
                AssignedAt = e.At,
                DueAt = e.DueAt ?? DueAt,
                DueAtFromPromise = e.DueAt is null && DueAtFromPromise,
                FirstResponseDueAt = FirstResponded ? FirstResponseDueAt : e.At + Promises?.FirstResponseWithin,
            },
            ComplaintReturned => this with { Status = ComplaintStatus.Accepted, Department = null, Handler = null },
            FirstResponseMade => this with { Status = ComplaintStatus.Investigating, FirstResponded = true },
            EvidenceRecorded or FindingsRecorded => Status == ComplaintStatus.Assigned
                ? this with { Status = ComplaintStatus.Investigating }
                : this,
            ComplaintEscalated or ExpectedResolutionDateGiven => this,
            ResolutionDueExtended e => this with { DueAt = e.DueAt, DueAtFromPromise = false },
            ComplaintResolved e => Resolved(e.At) with
            {
                Status = ComplaintStatus.Resolved,
                LastRemedy = e.Remedy,
                ResolvedByAgreement = false,
            },
            MediationAssessed e => e.Eligible ? this with { Status = ComplaintStatus.InMediation } : this,
            MediationAgreementSigned or SettledByParties => Resolved(((IComplaintEvent)@event).At) with
            {
                Status = ComplaintStatus.Resolved,
                LastRemedy = Remedy.Other,
                ResolvedByAgreement = true,
            },
            MediationFailed => this,
            FollowUpRecorded => this with { FollowUpDueFrom = null, FollowUpDueBy = null, ComplainantReplyBy = null },
            ComplainantNotReached e => this with { FollowUpDueFrom = null, FollowUpDueBy = null, ComplainantReplyBy = e.ReplyBy },
            RectificationOrdered => this with { Status = EverAssigned ? ComplaintStatus.Assigned : ComplaintStatus.Investigating },
            ReReviewRequested e => this with
            {
                Status = ComplaintStatus.AwaitingReReview,
                ReReviewRound = e.Round,
                ReReviewDueBy = e.At + Promises?.ReReviewWithin,
            },
            ComplaintReReviewed => this with { Status = ComplaintStatus.Investigating },
            ComplaintEscalatedToHigherLevel => this with { Status = ComplaintStatus.EscalatedToHigherLevel },
            ComplaintWithdrawn => this,
            ComplaintClosed e => this with { Status = ComplaintStatus.Closed, CloseReason = e.Reason },
            ComplaintArchived => this with { Status = ComplaintStatus.Archived },
            PersonalDataErased => this,
            ServicePromisesGiven e => this with
            {
                Promises = e.Terms,
                DueAt = e.ResolutionDueAt ?? DueAt,
                DueAtFromPromise = e.ResolutionDueAt is not null || DueAtFromPromise,
                FirstResponseDueAt = AssignedAt is { } assigned && !FirstResponded ? assigned + e.Terms.FirstResponseWithin : FirstResponseDueAt,
            },
            ServicePromiseMissed e => this with { MissedDues = new Dictionary<ServicePromise, DateTimeOffset>(MissedDues) { [e.Promise] = e.DueAt } },
            ComplaintUrged => this,
            _ => this,
        };
        // Erasures, urgings and missed promises are not steps in handling the case: a step entered later may still be
        // dated before them.
        return @event is IComplaintEvent fact and not (PersonalDataErased or ComplaintUrged or ServicePromiseMissed) && fact.At > next.LastStepAt
            ? next with { LastStepAt = fact.At }
            : next;
    }

    /// <summary>A resolution opens the follow-up window, and answers for any first response not recorded.</summary>
    private Complaint Resolved(DateTimeOffset at) => this with
    {
        EverResolved = true,
        FirstResponded = true,
        FollowUpDueFrom = at + Promises?.FollowUpFrom,
        FollowUpDueBy = at + Promises?.FollowUpWithin,
        ComplainantReplyBy = null,
    };

    /// <summary>Open and not yet (or no longer) resolved.</summary>
    public bool AwaitingResolution => Status is ComplaintStatus.Accepted or ComplaintStatus.Assigned or ComplaintStatus.Investigating
        or ComplaintStatus.InMediation or ComplaintStatus.EscalatedToHigherLevel;

    /// <summary>
    /// When the promise falls due, while the step it promises is still owed; null when nothing is owed, and always for a
    /// case never given promises (imported history, or accepted before there were any). The resolution promise covers
    /// the first resolution: a case worked again after a follow-up is under the re-review promise.
    /// </summary>
    public DateTimeOffset? DueOf(ServicePromise promise) => Promises is null ? null : promise switch
    {
        ServicePromise.FirstResponse => Status is ComplaintStatus.Assigned or ComplaintStatus.Investigating && !FirstResponded ? FirstResponseDueAt : null,
        ServicePromise.Resolution => AwaitingResolution && !EverResolved ? DueAt : null,
        ServicePromise.FollowUp => Status is ComplaintStatus.Resolved ? FollowUpDueBy : null,
        ServicePromise.ReReview => Status is ComplaintStatus.AwaitingReReview ? ReReviewDueBy : null,
        ServicePromise.ComplainantReply => Status is ComplaintStatus.Resolved ? ComplainantReplyBy : null,
        _ => null,
    };

    /// <summary>The promises whose due this step set or moved: each needs a timer for its new due.</summary>
    public IEnumerable<(ServicePromise Promise, DateTimeOffset DueAt)> DuesSetSince(Complaint? before)
    {
        foreach (var promise in Enum.GetValues<ServicePromise>())
            if (DueOf(promise) is { } due && due != before?.DueOf(promise))
                yield return (promise, due);
    }

    /// <summary>The due of a promise was recorded as missed already.</summary>
    public bool MissRecorded(ServicePromise promise, DateTimeOffset due) => MissedDues.TryGetValue(promise, out var missed) && missed == due;

    /// <summary>Folds a whole history, first event included.</summary>
    public static Complaint? Fold(IEnumerable<object> events)
    {
        Complaint? state = null;
        foreach (var e in events)
            state = state is null ? (e is ComplaintReceived r ? Create(r) : null) : state.Apply(e);
        return state;
    }

    /// <summary>The state as a person reads it in a refusal: "Closed (Declined)" rather than "Closed".</summary>
    public string Describe() => CloseReason is { } reason && Status is ComplaintStatus.Closed or ComplaintStatus.Archived
        ? $"{Status} ({reason})"
        : Status.ToString();

    public bool IsOpen => Status is not (ComplaintStatus.Closed or ComplaintStatus.Archived);
}

namespace Complaints.Domain;

/// <summary>
/// The one fold of a complaint's events: its status, dimensions, milestones, dues and counters. Decisions, the case
/// details, the analytics rows and the integration events all read the lifecycle from here and from nowhere else.
/// Immutable: folding returns a new value, so a loaded complaint is never changed in place.
/// </summary>
public sealed record Complaint
{
    public Guid Id { get; init; }
    public string TrackingNumber { get; init; } = "";

    /// <summary>How many events have been folded: the stream's version.</summary>
    public long Version { get => _version; init => _version = value; }

    public ComplaintStatus Status { get; init; }
    public CloseReason? CloseReason { get; init; }

    // Dimensions: where the case came from, what it is about, who holds it.
    public Channel Channel { get; init; }
    public string? Location { get; init; }
    public string? Category { get; init; }
    public Severity? Severity { get; init; }
    public Priority? Priority { get; init; }
    public string? Department { get; init; }
    public string? Handler { get; init; }

    // Milestones: when each step first (or last) happened. Every time is the time the fact happened.
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? DeclinedAt { get; init; }
    public DateTimeOffset? FirstAssignedAt { get; init; }

    /// <summary>The latest assignment.</summary>
    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>The first time the handler reached the complainant or the site.</summary>
    public DateTimeOffset? FirstResponseAt { get; init; }

    public DateTimeOffset? FirstResolvedAt { get; init; }

    /// <summary>The latest resolution: a remedy, a signed agreement or a settlement.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    public DateTimeOffset? FirstFollowUpAt { get; init; }
    public DateTimeOffset? ReReviewRequestedAt { get; init; }
    public DateTimeOffset? EscalatedToHigherLevelAt { get; init; }
    public DateTimeOffset? MediationEndedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? ArchivedAt { get; init; }
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    /// <summary>The SHA-256 (hex) of the complainant's current access code; null while they have none.</summary>
    public string? AccessCodeHash { get; init; }

    /// <summary>When the latest step happened; a later step may not be dated before it.</summary>
    public DateTimeOffset LastStepAt { get => _lastStepAt; init => _lastStepAt = value; }

    /// <summary>When the latest fact about the case happened, urgings and missed promises included (erasure is not about the case).</summary>
    public DateTimeOffset LastEventAt { get => _lastEventAt; init => _lastEventAt = value; }

    // Written once more only on the copy a step has just made, before anyone else sees it: one copy per event, not two.
    private long _version;
    private DateTimeOffset _lastStepAt;
    private DateTimeOffset _lastEventAt;

    // Outcomes.
    public Remedy? FirstRemedy { get; init; }
    public Remedy? LastRemedy { get; init; }

    /// <summary>Resolved right after acceptance, without assignment, at least once.</summary>
    public bool FirstContact { get; init; }

    public bool ResolvedByAgreement { get; init; }
    public bool? Substantiated { get; init; }
    public MediationOutcome? MediationOutcome { get; init; }
    public Referral? Referral { get; init; }
    public int? LastSatisfactionScore { get; init; }
    public bool? LastSatisfied { get; init; }

    /// <summary>The follow-up found the fix not carried out, and no resolution has been recorded since.</summary>
    public bool RectificationPending { get; init; }

    // Counters.
    public int Returns { get; init; }
    public int Evidence { get; init; }
    public int Escalations { get; init; }

    /// <summary>Re-reviews requested so far; bounded by the re-review policy.</summary>
    public int ReReviewRound { get; init; }

    public int FollowUps { get; init; }

    /// <summary>Follow-up attempts that did not reach the complainant.</summary>
    public int FollowUpAttempts { get; init; }

    public int Urgings { get; init; }
    public int MissedPromises { get; init; }

    /// <summary>
    /// The data-quality notes on history brought from another system, one anomaly per note in the order noted; empty for a
    /// case whose history keeps every rule.
    /// </summary>
    public IReadOnlyList<SourceAnomaly> SourceAnomalies { get; init; } = [];

    // The service promises: the terms given, and when each promised step falls due.
    public ServicePromiseTerms? Promises { get; init; }

    /// <summary>The resolution due date: the resolution promise's, one set on assignment, or an extension's.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Whether the due date is the resolution promise's own (a triage into other terms moves it) or was set by hand.</summary>
    public bool DueAtFromPromise { get; init; }

    /// <summary>The date told to the complainant for a hard case.</summary>
    public DateTimeOffset? ExpectedBy { get; init; }

    /// <summary>Set from an assignment while a first response is owed; cleared when one is made or no longer owed.</summary>
    public DateTimeOffset? FirstResponseDueAt { get; init; }

    /// <summary>The follow-up window, open from a resolution until a follow-up, an attempt to reach the complainant or the close.</summary>
    public DateTimeOffset? FollowUpDueFrom { get; init; }
    public DateTimeOffset? FollowUpDueBy { get; init; }

    public DateTimeOffset? ReReviewDueBy { get; init; }

    /// <summary>After an attempt that did not reach the complainant: the case closes as NoResponse if they have not replied by then.</summary>
    public DateTimeOffset? ComplainantReplyBy { get; init; }

    /// <summary>The due of each promise last recorded as missed, so that a timer delivered twice records the miss once.</summary>
    public IReadOnlyDictionary<ServicePromise, DateTimeOffset> MissedDues { get; init; } = NoMissedDues;

    private static readonly IReadOnlyDictionary<ServicePromise, DateTimeOffset> NoMissedDues = new Dictionary<ServicePromise, DateTimeOffset>();

    // Derived.
    public bool EverAssigned => FirstAssignedAt is not null;
    public bool EverResolved => FirstResolvedAt is not null;

    /// <summary>A first response was made, or a resolution answered for it.</summary>
    public bool FirstResponded => FirstResponseAt is not null || EverResolved;

    public bool IsOpen => Statuses.Open.Contains(Status);

    /// <summary>Open and not yet (or no longer) resolved.</summary>
    public bool AwaitingResolution => Statuses.AwaitingResolution.Contains(Status);

    /// <summary>The earlier of the due date and the date told to the complainant: when a resolution is owed.</summary>
    public DateTimeOffset? PromisedResolutionBy => DueAt is { } due && ExpectedBy is { } expected
        ? (due < expected ? due : expected)
        : DueAt ?? ExpectedBy;

    public static Complaint From(ComplaintReceived e) => new()
    {
        Id = e.ComplaintId,
        TrackingNumber = e.TrackingNumber,
        Version = 1,
        Status = ComplaintStatus.Received,
        Channel = e.Channel,
        Location = e.Location,
        Category = e.Category,
        ReceivedAt = e.At,
        AccessCodeHash = e.AccessCodeHash,
        LastStepAt = e.At,
        LastEventAt = e.At,
    };

    /// <summary>The fold as the event store calls it: a stream starts with its receipt; anything before one is ignored.</summary>
    public static Complaint? Evolve(Complaint? state, object @event) => state is null
        ? @event is ComplaintReceived received ? From(received) : null
        : state.After(@event);

    /// <summary>Folds a whole history, first event included.</summary>
    public static Complaint? Fold(IEnumerable<object> events) => events.Aggregate((Complaint?)null, Evolve);

    /// <summary>The pure fold: the complaint after one more event.</summary>
    public Complaint After(object @event)
    {
        if (@event is not IComplaintEvent fact) return this;
        var next = Step(fact);
        if (ReferenceEquals(next, this)) next = this with { };
        // A receipt appended again to a stream already started changes nothing; an erasure or a new access code does not
        // move when the case last moved, nor does a data-quality note (about the record, not the case); urgings and missed
        // promises are not steps in handling the case, so a step entered later may still be dated before them. A source's
        // step dated before the latest one (noted) leaves the latest where it was: times only ever move forward.
        var moves = fact is not (ComplaintReceived or PersonalDataErased or AccessCodeIssued or SourceAnomalyNoted);
        var step = moves && fact is not (ComplaintUrged or ServicePromiseMissed);
        next._version = Version + 1;
        if (moves && fact.At > next._lastEventAt) next._lastEventAt = fact.At;
        if (step && fact.At > next._lastStepAt) next._lastStepAt = fact.At;
        return next;
    }

    private Complaint Step(object @event) => @event switch
    {
        ComplaintReceived => this,
        ComplaintAccepted e => this with { Status = ComplaintStatus.Accepted, AcceptedAt = AcceptedAt ?? e.At },
        ComplaintDeclined e => this with { DeclinedAt = e.At },
        ComplaintTriaged e => this with { Category = e.Category, Severity = e.Severity, Priority = e.Priority },
        ComplaintAssigned e => this with
        {
            Status = ComplaintStatus.Assigned,
            Department = e.Department,
            Handler = e.Handler,
            FirstAssignedAt = FirstAssignedAt ?? e.At,
            AssignedAt = e.At,
            DueAt = e.DueAt ?? DueAt,
            DueAtFromPromise = e.DueAt is null && DueAtFromPromise,
            FirstResponseDueAt = FirstResponded ? FirstResponseDueAt : e.At + Promises?.FirstResponseWithin,
        },
        ComplaintReturned => this with
        {
            Status = ComplaintStatus.Accepted,
            Department = null,
            Handler = null,
            Returns = Returns + 1,
            FirstResponseDueAt = null,
        },
        FirstResponseMade e => this with
        {
            Status = ComplaintStatus.Investigating,
            FirstResponseAt = FirstResponseAt ?? e.At,
            FirstResponseDueAt = null,
        },
        EvidenceRecorded => Investigating() with { Evidence = Evidence + 1 },
        FindingsRecorded e => Investigating() with { Substantiated = e.Substantiated },
        ComplaintEscalated => this with { Escalations = Escalations + 1 },
        ExpectedResolutionDateGiven e => this with { ExpectedBy = e.ExpectedBy },
        ResolutionDueExtended e => this with { DueAt = e.DueAt, DueAtFromPromise = false },
        ComplaintResolved e => Resolved(e, e.At),
        MediationAssessed e => e.Eligible
            ? this with
            {
                Status = ComplaintStatus.InMediation,
                MediationOutcome = Domain.MediationOutcome.InMediation,
                // In mediation no first response is owed any more: the parties are heard in the mediation itself.
                FirstResponseDueAt = null,
            }
            : this with { MediationOutcome = Domain.MediationOutcome.NotEligible },
        MediationAgreementSigned e => Resolved(e, e.At) with
        {
            MediationOutcome = Domain.MediationOutcome.Agreement,
            MediationEndedAt = e.At,
        },
        SettledByParties e => Resolved(e, e.At) with
        {
            MediationOutcome = Domain.MediationOutcome.Settled,
            MediationEndedAt = e.At,
        },
        MediationFailed e => this with { MediationOutcome = Domain.MediationOutcome.Failed, Referral = e.Referral, MediationEndedAt = e.At },
        FollowUpRecorded e => this with
        {
            FollowUps = FollowUps + 1,
            FirstFollowUpAt = FirstFollowUpAt ?? e.At,
            LastSatisfactionScore = e.Score,
            LastSatisfied = e.Satisfied,
            FollowUpDueFrom = null,
            FollowUpDueBy = null,
            ComplainantReplyBy = null,
        },
        ComplainantNotReached e => this with
        {
            FollowUpAttempts = FollowUpAttempts + 1,
            FollowUpDueFrom = null,
            FollowUpDueBy = null,
            ComplainantReplyBy = e.ReplyBy,
        },
        RectificationOrdered => this with
        {
            Status = EverAssigned ? ComplaintStatus.Assigned : ComplaintStatus.Investigating,
            RectificationPending = true,
        },
        ReReviewRequested e => this with
        {
            Status = ComplaintStatus.AwaitingReReview,
            ReReviewRound = e.Round,
            ReReviewRequestedAt = e.At,
            ReReviewDueBy = e.At + Promises?.ReReviewWithin,
        },
        ComplaintReReviewed => this with { Status = ComplaintStatus.Investigating, ReReviewDueBy = null },
        ComplaintEscalatedToHigherLevel e => this with { Status = ComplaintStatus.EscalatedToHigherLevel, EscalatedToHigherLevelAt = e.At },
        ComplaintWithdrawn => this,
        ComplaintClosed e => this with
        {
            Status = ComplaintStatus.Closed,
            CloseReason = e.Reason,
            ClosedAt = e.At,
            FirstResponseDueAt = null,
            FollowUpDueFrom = null,
            FollowUpDueBy = null,
            ReReviewDueBy = null,
            ComplainantReplyBy = null,
        },
        ComplaintArchived e => this with { Status = ComplaintStatus.Archived, ArchivedAt = e.At },
        // The location may be the complainant's home: it goes with the rest, as it does from the erased receipt.
        PersonalDataErased e => this with { PersonalDataErasedAt = e.At, Location = PersonalData.Erase(Location) },
        AccessCodeIssued e => this with { AccessCodeHash = e.AccessCodeHash },
        ServicePromisesGiven e => this with
        {
            Promises = e.Terms,
            DueAt = e.ResolutionDueAt ?? DueAt,
            DueAtFromPromise = e.ResolutionDueAt is not null || DueAtFromPromise,
            FirstResponseDueAt = Statuses.BeingWorked.Contains(Status) && AssignedAt is { } assigned && !FirstResponded
                ? assigned + e.Terms.FirstResponseWithin
                : FirstResponseDueAt,
        },
        ServicePromiseMissed e => this with
        {
            MissedPromises = MissedPromises + 1,
            MissedDues = new Dictionary<ServicePromise, DateTimeOffset>(MissedDues) { [e.Promise] = e.DueAt },
        },
        ComplaintUrged => this with { Urgings = Urgings + 1 },
        SourceAnomalyNoted e => this with { SourceAnomalies = [.. SourceAnomalies, e.Anomaly] },
        _ => this,
    };

    /// <summary>Evidence and findings start the investigation of an assigned case.</summary>
    private Complaint Investigating() => Status == ComplaintStatus.Assigned ? this with { Status = ComplaintStatus.Investigating } : this;

    /// <summary>The resolution an event records, if it is one: a remedy carried out, a signed agreement or a settlement.</summary>
    public static Resolution? ResolutionIn(object @event) => @event switch
    {
        ComplaintResolved e => new(e.Remedy, ByAgreement: false, e.FirstContact),
        MediationAgreementSigned or SettledByParties => new(Remedy.Other, ByAgreement: true, FirstContact: false),
        _ => null,
    };

    /// <summary>A resolution opens the follow-up window, and answers for any first response not recorded.</summary>
    private Complaint Resolved(object @event, DateTimeOffset at)
    {
        var resolution = ResolutionIn(@event)!;
        return this with
        {
            Status = ComplaintStatus.Resolved,
            FirstResolvedAt = FirstResolvedAt ?? at,
            ResolvedAt = at,
            FirstRemedy = FirstRemedy ?? resolution.Remedy,
            LastRemedy = resolution.Remedy,
            FirstContact = FirstContact || resolution.FirstContact,
            ResolvedByAgreement = resolution.ByAgreement,
            RectificationPending = false,
            FirstResponseDueAt = null,
            FollowUpDueFrom = at + Promises?.FollowUpFrom,
            FollowUpDueBy = at + Promises?.FollowUpWithin,
            ComplainantReplyBy = null,
        };
    }

    /// <summary>
    /// When the promise falls due, while the step it promises is still owed; null when nothing is owed, and always for a
    /// case never given promises (imported history, or accepted before there were any). The resolution promise covers
    /// the first resolution: a case worked again after a follow-up is under the re-review promise.
    /// </summary>
    public DateTimeOffset? DueOf(ServicePromise promise) => Promises is null ? null : promise switch
    {
        ServicePromise.FirstResponse => Statuses.BeingWorked.Contains(Status) && !FirstResponded ? FirstResponseDueAt : null,
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

    /// <summary>The state as a person reads it in a refusal: "Closed (Declined)" rather than "Closed".</summary>
    public string Describe() => CloseReason is { } reason && Status is ComplaintStatus.Closed or ComplaintStatus.Archived
        ? $"{Status} ({reason})"
        : Status.ToString();
}

/// <summary>What a resolving step recorded: the remedy, whether by an agreement of the parties, and whether at first contact.</summary>
public sealed record Resolution(Remedy Remedy, bool ByAgreement, bool FirstContact);

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
            ComplaintAccepted => this with { Status = ComplaintStatus.Accepted },
            ComplaintDeclined => this,
            ComplaintTriaged e => this with { Category = e.Category },
            ComplaintAssigned e => this with
            {
                Status = ComplaintStatus.Assigned,
                Department = e.Department,
                Handler = e.Handler,
                EverAssigned = true,
                DueAt = e.DueAt ?? DueAt,
            },
            ComplaintReturned => this with { Status = ComplaintStatus.Accepted, Department = null, Handler = null },
            FirstResponseMade => this with { Status = ComplaintStatus.Investigating },
            EvidenceRecorded or FindingsRecorded => Status == ComplaintStatus.Assigned
                ? this with { Status = ComplaintStatus.Investigating }
                : this,
            ComplaintEscalated or ExpectedResolutionDateGiven => this,
            ResolutionDueExtended e => this with { DueAt = e.DueAt },
            ComplaintResolved e => this with
            {
                Status = ComplaintStatus.Resolved,
                LastRemedy = e.Remedy,
                ResolvedByAgreement = false,
            },
            MediationAssessed e => e.Eligible ? this with { Status = ComplaintStatus.InMediation } : this,
            MediationAgreementSigned or SettledByParties => this with
            {
                Status = ComplaintStatus.Resolved,
                LastRemedy = Remedy.Other,
                ResolvedByAgreement = true,
            },
            MediationFailed => this,
            FollowUpRecorded => this,
            RectificationOrdered => this with { Status = EverAssigned ? ComplaintStatus.Assigned : ComplaintStatus.Investigating },
            ReReviewRequested e => this with { Status = ComplaintStatus.AwaitingReReview, ReReviewRound = e.Round },
            ComplaintReReviewed => this with { Status = ComplaintStatus.Investigating },
            ComplaintEscalatedToHigherLevel => this with { Status = ComplaintStatus.EscalatedToHigherLevel },
            ComplaintWithdrawn => this,
            ComplaintClosed e => this with { Status = ComplaintStatus.Closed, CloseReason = e.Reason },
            ComplaintArchived => this with { Status = ComplaintStatus.Archived },
            PersonalDataErased => this,
            _ => this,
        };
        // An erasure is not a step in handling the case: a step entered later may still be dated before it.
        return @event is IComplaintEvent fact and not PersonalDataErased && fact.At > next.LastStepAt ? next with { LastStepAt = fact.At } : next;
    }

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

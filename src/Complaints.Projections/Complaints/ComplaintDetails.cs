using Complaints.Domain;
using Marten.Events;
using Marten.Events.Aggregation;

namespace Complaints.Projections.Complaints;

/// <summary>Everything a case worker sees on one page. Kept inline, so a command's reply shows its effect at once.</summary>
public sealed class ComplaintDetails
{
    public Guid Id { get; set; }
    public string TrackingNumber { get; set; } = "";

    /// <summary>The stream's version: the number of events recorded. Sent as the ETag.</summary>
    public int Version { get; set; }

    public ComplaintStatus Status { get; set; }
    public CloseReason? CloseReason { get; set; }

    public Channel Channel { get; set; }
    public Complainant Complainant { get; set; } = new("", null, null, null);
    public string Description { get; set; } = "";
    public string? Location { get; set; }
    public string? RemedySought { get; set; }

    public string? Category { get; set; }
    public Severity? Severity { get; set; }
    public Priority? Priority { get; set; }
    public string? Department { get; set; }
    public string? Handler { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? ExpectedBy { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public DateTimeOffset LastStepAt { get; set; }

    public int ReturnCount { get; set; }
    public int EvidenceCount { get; set; }
    public bool? Substantiated { get; set; }
    public string? Findings { get; set; }
    public int EscalationCount { get; set; }

    public ResolutionView? Resolution { get; set; }
    public MediationView? Mediation { get; set; }
    public DeclineView? Decline { get; set; }

    /// <summary>The last thing the complainant was told: a resolution's reply or a decline's explanation.</summary>
    public string? PublicReply { get; set; }

    public int ReReviewRound { get; set; }
    public int FollowUpCount { get; set; }
    public int? LastSatisfactionScore { get; set; }
    public bool? LastSatisfied { get; set; }
    public string? LastFollowUpComment { get; set; }
    public string? RevisedPlan { get; set; }
    public bool RectificationPending { get; set; }
    public DateTimeOffset? ReReviewRequestedAt { get; set; }

    /// <summary>The earlier of the due date and the date told to the complainant: when a resolution is owed.</summary>
    public DateTimeOffset? PromisedResolutionBy { get; set; }

    /// <summary>Open and not (or no longer) resolved: a passed promise makes such a case overdue.</summary>
    public bool AwaitingResolution { get; set; }

    /// <summary>When the complainant's personal data was erased on a lawful request; the complainant then reads [erased].</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; set; }

    /// <summary>The promises this case was given; null for a case accepted before there were any.</summary>
    public ServicePromiseTerms? Promises { get; set; }

    public DateTimeOffset? FirstResponseDueAt { get; set; }

    /// <summary>The follow-up window, open from a resolution until a follow-up or an attempt to reach the complainant.</summary>
    public DateTimeOffset? FollowUpDueFrom { get; set; }
    public DateTimeOffset? FollowUpDueBy { get; set; }

    public DateTimeOffset? ReReviewDueBy { get; set; }

    /// <summary>After an attempt that did not reach the complainant: the case closes as NoResponse if they have not replied by then.</summary>
    public DateTimeOffset? ComplainantReplyBy { get; set; }
    public int FollowUpAttempts { get; set; }

    public List<MissedPromiseView> MissedPromises { get; set; } = [];

    /// <summary>Missed promises whose step has still not happened: such a case is overdue.</summary>
    public int OutstandingMissedPromises { get; set; }

    public List<UrgingView> Urgings { get; set; } = [];

    /// <summary>Marten calls this when it maps the document: the columns and indexes the case list needs.</summary>
    public static void ConfigureMarten(Marten.Schema.DocumentMapping<ComplaintDetails> mapping) => ComplaintStore.MapCaseList(mapping);
}

/// <summary>
/// A promise recorded as missed. KeptAt is when its step happened after all (before DueAt for a step done on time but
/// entered after the miss was recorded); EndedUnkeptAt, when the case closed without it. Outstanding while both are empty.
/// </summary>
public sealed record MissedPromiseView(ServicePromise Promise, DateTimeOffset DueAt, DateTimeOffset RecordedAt,
    DateTimeOffset? KeptAt = null, DateTimeOffset? EndedUnkeptAt = null)
{
    public bool Outstanding => KeptAt is null && EndedUnkeptAt is null;
}

/// <summary>An urging (督办) by a supervisor.</summary>
public sealed record UrgingView(string Note, DateTimeOffset At, string By);

public sealed record ResolutionView(Remedy Remedy, string Description, decimal? Amount, string Reply, bool FirstContact, DateTimeOffset At, string By);

public sealed record MediationView(bool Eligible, string Reason, string? AgreementTerms = null, int? Copies = null,
    Referral? Referral = null, string? FailureReason = null, string? SettlementTerms = null);

public sealed record DeclineView(string Reason, string Explanation);

public partial class ComplaintDetailsProjection : SingleStreamProjection<ComplaintDetails, Guid>
{
    public ComplaintDetailsProjection() => ComplaintStore.RebuildInLargeBatches(Options);

    public ComplaintDetails Create(ComplaintReceived e) => new()
    {
        Id = e.ComplaintId,
        TrackingNumber = e.TrackingNumber,
        Status = ComplaintStatus.Received,
        Channel = e.Channel,
        Complainant = e.Complainant,
        Description = e.Description,
        Location = e.Location,
        Category = e.Category,
        RemedySought = e.RemedySought,
        ReceivedAt = e.At,
        LastStepAt = e.At,
    };

    public void Apply(ComplaintAccepted e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Accepted, () => d.AcceptedAt = e.At);

    public void Apply(ComplaintDeclined e, ComplaintDetails d) => Step(d, e, null, () =>
    {
        d.Decline = new DeclineView(e.Reason, e.Explanation);
        d.PublicReply = e.Explanation;
    });

    public void Apply(ComplaintTriaged e, ComplaintDetails d) => Step(d, e, null, () =>
    {
        d.Category = e.Category;
        d.Severity = e.Severity;
        d.Priority = e.Priority;
    });

    public void Apply(ComplaintAssigned e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Assigned, () =>
    {
        d.Department = e.Department;
        d.Handler = e.Handler;
        d.AssignedAt = e.At;
        d.DueAt = e.DueAt ?? d.DueAt;
        if (FirstResponseOwed(d)) d.FirstResponseDueAt = e.At + d.Promises?.FirstResponseWithin;
    });

    public void Apply(ComplaintReturned e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Accepted, () =>
    {
        d.Department = null;
        d.Handler = null;
        d.ReturnCount++;
        d.FirstResponseDueAt = null;
    });

    public void Apply(FirstResponseMade e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Investigating, () =>
    {
        d.FirstResponseAt ??= e.At;
        d.FirstResponseDueAt = null;
        Kept(d, e.At, ServicePromise.FirstResponse);
    });

    public void Apply(EvidenceRecorded e, ComplaintDetails d) => Step(d, e, Investigating(d), () => d.EvidenceCount++);

    public void Apply(FindingsRecorded e, ComplaintDetails d) => Step(d, e, Investigating(d), () =>
    {
        d.Substantiated = e.Substantiated;
        d.Findings = e.Summary;
    });

    public void Apply(ComplaintEscalated e, ComplaintDetails d) => Step(d, e, null, () => d.EscalationCount++);

    public void Apply(ExpectedResolutionDateGiven e, ComplaintDetails d) => Step(d, e, null, () => d.ExpectedBy = e.ExpectedBy);

    public void Apply(ResolutionDueExtended e, ComplaintDetails d) => Step(d, e, null, () => d.DueAt = e.DueAt);

    public void Apply(ComplaintResolved e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Resolved, () =>
    {
        d.Resolution = new ResolutionView(e.Remedy, e.Description, e.Amount, e.Reply, e.FirstContact, e.At, e.By);
        d.PublicReply = e.Reply;
        d.ResolvedAt = e.At;
        d.RectificationPending = false;
        Resolved(d, e.At);
    });

    public void Apply(MediationAssessed e, ComplaintDetails d) => Step(d, e, e.Eligible ? ComplaintStatus.InMediation : null,
        () => d.Mediation = new MediationView(e.Eligible, e.Reason));

    public void Apply(MediationAgreementSigned e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Resolved, () =>
    {
        d.Mediation = d.Mediation! with { AgreementTerms = e.Terms, Copies = e.Copies };
        d.Resolution = new ResolutionView(Remedy.Other, e.Terms, null, e.Terms, false, e.At, e.By);
        d.PublicReply = e.Terms;
        d.ResolvedAt = e.At;
        Resolved(d, e.At);
    });

    public void Apply(MediationFailed e, ComplaintDetails d) => Step(d, e, null,
        () => d.Mediation = d.Mediation! with { Referral = e.Referral, FailureReason = e.Reason });

    public void Apply(SettledByParties e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Resolved, () =>
    {
        d.Mediation = (d.Mediation ?? new MediationView(false, "settled by the parties")) with { SettlementTerms = e.Terms };
        d.Resolution = new ResolutionView(Remedy.Other, e.Terms, null, e.Terms, false, e.At, e.By);
        d.PublicReply = e.Terms;
        d.ResolvedAt = e.At;
        Resolved(d, e.At);
    });

    public void Apply(FollowUpRecorded e, ComplaintDetails d) => Step(d, e, null, () =>
    {
        d.FollowUpCount++;
        d.LastSatisfactionScore = e.Score;
        d.LastSatisfied = e.Satisfied;
        d.LastFollowUpComment = e.Comment;
        FollowedUp(d, e.At);
        d.ComplainantReplyBy = null;
    });

    public void Apply(ComplainantNotReached e, ComplaintDetails d) => Step(d, e, null, () =>
    {
        d.FollowUpAttempts++;
        FollowedUp(d, e.At);
        d.ComplainantReplyBy = e.ReplyBy;
    });

    public void Apply(RectificationOrdered e, ComplaintDetails d) => Step(d, e,
        d.AssignedAt is null ? ComplaintStatus.Investigating : ComplaintStatus.Assigned, () => d.RectificationPending = true);

    public void Apply(ReReviewRequested e, ComplaintDetails d) => Step(d, e, ComplaintStatus.AwaitingReReview, () =>
    {
        d.ReReviewRound = e.Round;
        d.ReReviewRequestedAt = e.At;
        d.ReReviewDueBy = e.At + d.Promises?.ReReviewWithin;
    });

    public void Apply(ComplaintReReviewed e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Investigating, () =>
    {
        d.RevisedPlan = e.RevisedPlan;
        d.ReReviewDueBy = null;
        Kept(d, e.At, ServicePromise.ReReview);
    });

    public void Apply(ComplaintEscalatedToHigherLevel e, ComplaintDetails d) => Step(d, e, ComplaintStatus.EscalatedToHigherLevel, () => { });

    public void Apply(ComplaintWithdrawn e, ComplaintDetails d) => Step(d, e, null, () => { });

    public void Apply(ComplaintClosed e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Closed, () =>
    {
        d.CloseReason = e.Reason;
        d.ClosedAt = e.At;
        d.FirstResponseDueAt = d.FollowUpDueFrom = d.FollowUpDueBy = d.ReReviewDueBy = d.ComplainantReplyBy = null;
        for (var i = 0; i < d.MissedPromises.Count; i++)
            if (d.MissedPromises[i] is { Outstanding: true } missed)
                d.MissedPromises[i] = missed with { EndedUnkeptAt = e.At };
    });

    public void Apply(ComplaintArchived e, ComplaintDetails d) => Step(d, e, ComplaintStatus.Archived, () => d.ArchivedAt = e.At);

    // Not a step in handling the case: neither the status nor the time of the last step moves.
    public void Apply(PersonalDataErased e, ComplaintDetails d)
    {
        d.Complainant = Complainant.Erased;
        d.PersonalDataErasedAt = e.At;
    }

    public void Apply(ServicePromisesGiven e, ComplaintDetails d) => Step(d, e, null, () =>
    {
        d.Promises = e.Terms;
        d.DueAt = e.ResolutionDueAt ?? d.DueAt;
        if (d.Status is ComplaintStatus.Assigned or ComplaintStatus.Investigating && d.AssignedAt is { } assigned && FirstResponseOwed(d))
            d.FirstResponseDueAt = assigned + e.Terms.FirstResponseWithin;
    });

    // A missed promise and an urging are not steps in handling the case: neither moves the time of the last step.
    public void Apply(ServicePromiseMissed e, ComplaintDetails d)
    {
        d.MissedPromises.Add(new MissedPromiseView(e.Promise, e.DueAt, e.At));
        Refresh(d);
    }

    public void Apply(ComplaintUrged e, ComplaintDetails d) => d.Urgings.Add(new UrgingView(e.Note, e.At, e.By));

    /// <summary>As the write model has it: a resolution answers for a first response never recorded.</summary>
    private static bool FirstResponseOwed(ComplaintDetails d) => d.FirstResponseAt is null && d.ResolvedAt is null;

    private static void Resolved(ComplaintDetails d, DateTimeOffset at)
    {
        d.FirstResponseDueAt = null;
        d.FollowUpDueFrom = at + d.Promises?.FollowUpFrom;
        d.FollowUpDueBy = at + d.Promises?.FollowUpWithin;
        d.ComplainantReplyBy = null;
        Kept(d, at, ServicePromise.FirstResponse, ServicePromise.Resolution);
    }

    private static void FollowedUp(ComplaintDetails d, DateTimeOffset at)
    {
        d.FollowUpDueFrom = d.FollowUpDueBy = null;
        Kept(d, at, ServicePromise.FollowUp);
    }

    /// <summary>The step a missed promise was owed has now happened.</summary>
    private static void Kept(ComplaintDetails d, DateTimeOffset at, params ServicePromise[] promises)
    {
        for (var i = 0; i < d.MissedPromises.Count; i++)
            if (d.MissedPromises[i] is { Outstanding: true } missed && promises.Contains(missed.Promise))
                d.MissedPromises[i] = missed with { KeptAt = at };
    }

    private static ComplaintStatus? Investigating(ComplaintDetails d) =>
        d.Status == ComplaintStatus.Assigned ? ComplaintStatus.Investigating : null;

    private static void Step(ComplaintDetails d, IComplaintEvent e, ComplaintStatus? status, Action change)
    {
        change();
        if (status is { } s) d.Status = s;
        if (e.At > d.LastStepAt) d.LastStepAt = e.At;
        Refresh(d);
    }

    private static void Refresh(ComplaintDetails d)
    {
        d.OutstandingMissedPromises = d.MissedPromises.Count(m => m.Outstanding);
        d.PromisedResolutionBy = d.DueAt is { } due && d.ExpectedBy is { } expected
            ? (due < expected ? due : expected)
            : d.DueAt ?? d.ExpectedBy;
        d.AwaitingResolution = d.Status is ComplaintStatus.Accepted or ComplaintStatus.Assigned or ComplaintStatus.Investigating
            or ComplaintStatus.InMediation or ComplaintStatus.EscalatedToHigherLevel;
    }
}

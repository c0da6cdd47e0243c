namespace Complaints.Contracts.V1;

// What other services hear of a complaint: version 1 of the public contract, kept apart from the internal events so
// that either may change without the other. No complainant's identity or contact, no free text that may carry it:
// a receiver that needs more asks for the case by its id, under its own authorization. Enumerations travel as their
// names. A new version of an event is a new type in a new namespace (V2); V1 keeps being published until retired.

/// <summary>What every integration event carries: the case, its stream version after the fact, and when it happened.</summary>
public interface IComplaintIntegrationEvent
{
    /// <summary>The case.</summary>
    Guid ComplaintId { get; }

    /// <summary>The number the complainant was given, e.g. C-2026-000123.</summary>
    string TrackingNumber { get; }

    /// <summary>The case's version once this fact was recorded: with ComplaintId, it identifies the fact, so that a receiver can drop a redelivery.</summary>
    long Version { get; }

    /// <summary>When it happened.</summary>
    DateTimeOffset OccurredAt { get; }
}

public sealed record ComplaintReceived(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Channel, string? Category) : IComplaintIntegrationEvent;

public sealed record ComplaintAssigned(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Department, string Handler, DateTimeOffset? DueAt, DateTimeOffset? FirstResponseDueAt) : IComplaintIntegrationEvent;

public sealed record ComplaintResolved(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Remedy, bool FirstContact, bool ByAgreement, DateTimeOffset? FollowUpDueFrom, DateTimeOffset? FollowUpDueBy) : IComplaintIntegrationEvent;

public sealed record FollowUpRecorded(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    bool Satisfied, int Score, bool Rectified, int Round) : IComplaintIntegrationEvent;

public sealed record ReReviewRequested(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    int Round, int Score, DateTimeOffset? ReReviewDueBy) : IComplaintIntegrationEvent;

/// <summary>Level is Management (a hard case reported upward) or HigherLevel (still unsatisfied after the last re-review).</summary>
public sealed record ComplaintEscalated(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Level) : IComplaintIntegrationEvent;

/// <summary>Promise is FirstResponse, Resolution, FollowUp or ReReview; Department and Handler are who owed it.</summary>
public sealed record ServicePromiseMissed(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Promise, DateTimeOffset DueAt, string? Department, string? Handler) : IComplaintIntegrationEvent;

/// <summary>Reason is Satisfied, Declined, Withdrawn, Referred, NoResponse or AgreementPerformed.</summary>
public sealed record ComplaintClosed(
    Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset OccurredAt,
    string Reason) : IComplaintIntegrationEvent;

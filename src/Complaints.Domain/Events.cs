using System.Text.Json.Serialization;

namespace Complaints.Domain;

/// <summary>What every fact in a complaint's stream records: when it happened and who did it.</summary>
public interface IComplaintEvent
{
    DateTimeOffset At { get; }
    string By { get; }
}

// Every event is a fact in the past tense. Each carries when it happened (At, which may lie in the past for
// history entered later) and who did it (By), so that it reads on its own years later.

public sealed record ComplaintReceived(
    Guid ComplaintId,
    string TrackingNumber,
    Channel Channel,
    Complainant Complainant,
    string Description,
    string? Location,
    string? Category,
    string? RemedySought,
    DateTimeOffset At,
    string By) : IComplaintEvent
{
    /// <summary>
    /// Set only once the complainant's personal data has been erased from this event: the one-way key of the contact
    /// that was removed, so that repeat complainants are still counted the same after an analytics rebuild.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErasedComplainantKey { get; init; }

    /// <summary>
    /// The SHA-256 (hex) of the access code the complainant was given with the tracking number for their own lookup;
    /// the code itself is never recorded. Null when none was given (a complaint received from the queue or imported).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AccessCodeHash { get; init; }
}

public sealed record ComplaintAccepted(string? Note, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>Out of scope or not eligible. The explanation is the reply the complainant sees.</summary>
public sealed record ComplaintDeclined(string Reason, string Explanation, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ComplaintTriaged(string Category, Severity Severity, Priority Priority, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ComplaintAssigned(string Department, string Handler, DateTimeOffset? DueAt, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>The department sent the case back as not theirs (退单); it waits to be reassigned.</summary>
public sealed record ComplaintReturned(string Department, string Handler, string Reason, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>The handler reached the complainant or the site.</summary>
public sealed record FirstResponseMade(string? Note, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record EvidenceRecorded(EvidenceKind Kind, string Description, string? Party, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record FindingsRecorded(bool Substantiated, string Summary, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>A hard case reported upward to management; the case goes on where it was.</summary>
public sealed record ComplaintEscalated(string Reason, string? EscalatedTo, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ExpectedResolutionDateGiven(DateTimeOffset ExpectedBy, string? Reason, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ResolutionDueExtended(DateTimeOffset PreviousDueAt, DateTimeOffset DueAt, string Reason, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// A remedy carried out. The reply is what the complainant is told. FirstContact marks a problem solved right
/// after acceptance, without assignment.
/// </summary>
public sealed record ComplaintResolved(
    Remedy Remedy,
    string Description,
    decimal? Amount,
    string Reply,
    bool FirstContact,
    DateTimeOffset At,
    string By) : IComplaintEvent;

public sealed record MediationAssessed(bool Eligible, string Reason, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>Signed in triplicate: each party and the office keep a copy; the office supervises performance.</summary>
public sealed record MediationAgreementSigned(string Terms, int Copies, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record MediationFailed(Referral Referral, string Reason, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record SettledByParties(string Terms, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// The follow-up visit (回访): was the fix carried out, and is the complainant satisfied. Round is the number
/// of re-reviews the case had before this follow-up.
/// </summary>
public sealed record FollowUpRecorded(
    bool Satisfied,
    int Score,
    bool Rectified,
    string? Comment,
    int Round,
    DateTimeOffset At,
    string By) : IComplaintEvent;

/// <summary>The follow-up found the fix not carried out: back to the handler to put it right.</summary>
public sealed record RectificationOrdered(string? Handler, string? Comment, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>An unsatisfied follow-up while rounds remain: the case waits for a reviewer.</summary>
public sealed record ReReviewRequested(int Round, int Score, string? Comment, Remedy? UnsatisfyingRemedy, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>A reviewer revised the plan (复审); the case is worked again under it.</summary>
public sealed record ComplaintReReviewed(string Reviewer, string RevisedPlan, int Round, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>Still unsatisfied after the last allowed re-review round: the case goes to a higher level.</summary>
public sealed record ComplaintEscalatedToHigherLevel(int RoundsUsed, string? Comment, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ComplaintWithdrawn(string? Reason, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ComplaintClosed(CloseReason Reason, string? Note, DateTimeOffset At, string By) : IComplaintEvent;

public sealed record ComplaintArchived(DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// The complainant's personal data was erased on a lawful request (the legal basis says which). The case's status and
/// history are unchanged; the earlier events keep their place but no longer carry the complainant's identity.
/// </summary>
public sealed record PersonalDataErased(string LegalBasis, DateTimeOffset At, string By) : IComplaintEvent
{
    /// <summary>
    /// The earlier events this erasure changed: which fields, and the hash of what each event holds since. It is sealed
    /// with this event into the case's hash chain, so that a changed erased event, or a changed record of it, is evident.
    /// </summary>
    public IReadOnlyList<Redaction> Redactions { get; init; } = [];
}

/// <summary>One event of the case as an erasure left it: the fields it erased, and the SHA-256 of the stored event after.</summary>
public sealed record Redaction(long Version, IReadOnlyList<string> Fields, string DataHash);

/// <summary>
/// The promises this case was given (on acceptance, and again when triage moved it to a category with other terms),
/// so that a later change of policy never changes what it was promised. ResolutionDueAt is the due date the
/// resolution promise sets; null when a due date was set by hand and stands.
/// </summary>
public sealed record ServicePromisesGiven(string? Category, ServicePromiseTerms Terms, DateTimeOffset? ResolutionDueAt, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// A promise fell due and the step it promised had not happened. Overdue is how far past due it was when recorded:
/// near zero, unless the service was down when it fell due.
/// </summary>
public sealed record ServicePromiseMissed(ServicePromise Promise, DateTimeOffset DueAt, TimeSpan Overdue, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>A supervisor urged the case on (督办); the note says what is expected and by when.</summary>
public sealed record ComplaintUrged(string Note, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// A follow-up attempt that did not reach the complainant. The office kept its follow-up promise by trying; the case
/// closes as NoResponse if the complainant has not been reached by ReplyBy.
/// </summary>
public sealed record ComplainantNotReached(string? Note, DateTimeOffset ReplyBy, DateTimeOffset At, string By) : IComplaintEvent;

/// <summary>
/// The complainant was given a new access code for their own lookup (the first was lost, or none was given at
/// receipt); the earlier code no longer works. Only the code's SHA-256 (hex) is recorded, never the code.
/// </summary>
public sealed record AccessCodeIssued(string AccessCodeHash, DateTimeOffset At, string By) : IComplaintEvent;

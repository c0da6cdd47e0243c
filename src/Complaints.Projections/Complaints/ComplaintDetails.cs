using Complaints.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Complaints.Projections.Complaints;

/// <summary>Marks state a document keeps for its projection but that no answer shows.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotShownAttribute : Attribute;

/// <summary>
/// Marks a property read from the fold that queries find in the stored JSON (an index, a filter or an order by it), so
/// the store keeps it; every other property read from the fold is shown in answers but not stored twice.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QueriedAttribute : Attribute;

/// <summary>
/// Everything a case worker sees on one page. Kept inline, so a command's reply shows its effect at once. Every flat
/// field is read from the complaint's one fold (<see cref="Complaint"/>), kept with the document; the document itself
/// keeps only what is for display: the complainant, texts, and the lists of urgings and missed promises.
/// </summary>
public sealed class ComplaintDetails
{
    /// <summary>The fold this page is read from.</summary>
    [NotShown]
    public Complaint Case { get; set; } = new();

    public Guid Id { get; set; }
    [Queried]
    public string TrackingNumber => Case.TrackingNumber;

    /// <summary>The stream's version: the number of events recorded. Sent as the ETag.</summary>
    public int Version { get; set; }

    public ComplaintStatus Status => Case.Status;
    public CloseReason? CloseReason => Case.CloseReason;

    public Channel Channel => Case.Channel;
    public Complainant Complainant { get; set; } = new("", null, null, null);
    public string Description { get; set; } = "";
    public string? Location => Case.Location;
    public string? RemedySought { get; set; }

    public string? Category => Case.Category;
    public Severity? Severity => Case.Severity;
    public Priority? Priority => Case.Priority;
    public string? Department => Case.Department;
    public string? Handler => Case.Handler;

    [Queried]
    public DateTimeOffset ReceivedAt => Case.ReceivedAt;
    public DateTimeOffset? AcceptedAt => Case.AcceptedAt;
    public DateTimeOffset? AssignedAt => Case.AssignedAt;
    public DateTimeOffset? DueAt => Case.DueAt;
    public DateTimeOffset? ExpectedBy => Case.ExpectedBy;
    public DateTimeOffset? FirstResponseAt => Case.FirstResponseAt;
    public DateTimeOffset? ResolvedAt => Case.ResolvedAt;
    public DateTimeOffset? ClosedAt => Case.ClosedAt;
    public DateTimeOffset? ArchivedAt => Case.ArchivedAt;
    public DateTimeOffset LastStepAt => Case.LastStepAt;

    public int ReturnCount => Case.Returns;
    public int EvidenceCount => Case.Evidence;
    public bool? Substantiated => Case.Substantiated;
    public string? Findings { get; set; }
    public int EscalationCount => Case.Escalations;

    public ResolutionView? Resolution { get; set; }
    public MediationView? Mediation { get; set; }
    public DeclineView? Decline { get; set; }

    /// <summary>The last thing the complainant was told: a resolution's reply or a decline's explanation.</summary>
    public string? PublicReply { get; set; }

    public int ReReviewRound => Case.ReReviewRound;
    public int FollowUpCount => Case.FollowUps;
    public int? LastSatisfactionScore => Case.LastSatisfactionScore;
    public bool? LastSatisfied => Case.LastSatisfied;
    public string? LastFollowUpComment { get; set; }
    public string? RevisedPlan { get; set; }
    public bool RectificationPending => Case.RectificationPending;
    [Queried]
    public DateTimeOffset? ReReviewRequestedAt => Case.ReReviewRequestedAt;

    /// <summary>The earlier of the due date and the date told to the complainant: when a resolution is owed.</summary>
    [Queried]
    public DateTimeOffset? PromisedResolutionBy => Case.PromisedResolutionBy;

    /// <summary>Open and not (or no longer) resolved: a passed promise makes such a case overdue.</summary>
    public bool AwaitingResolution => Case.AwaitingResolution;

    /// <summary>When the complainant's personal data was erased on a lawful request; the complainant then reads [erased].</summary>
    public DateTimeOffset? PersonalDataErasedAt => Case.PersonalDataErasedAt;

    /// <summary>The promises this case was given; null for a case accepted before there were any.</summary>
    public ServicePromiseTerms? Promises => Case.Promises;

    public DateTimeOffset? FirstResponseDueAt => Case.FirstResponseDueAt;

    /// <summary>The follow-up window, open from a resolution until a follow-up or an attempt to reach the complainant.</summary>
    [Queried]
    public DateTimeOffset? FollowUpDueFrom => Case.FollowUpDueFrom;
    public DateTimeOffset? FollowUpDueBy => Case.FollowUpDueBy;

    public DateTimeOffset? ReReviewDueBy => Case.ReReviewDueBy;

    /// <summary>After an attempt that did not reach the complainant: the case closes as NoResponse if they have not replied by then.</summary>
    public DateTimeOffset? ComplainantReplyBy => Case.ComplainantReplyBy;
    public int FollowUpAttempts => Case.FollowUpAttempts;

    public List<MissedPromiseView> MissedPromises { get; set; } = [];

    /// <summary>Missed promises whose step has still not happened: such a case is overdue.</summary>
    public int OutstandingMissedPromises => MissedPromises.Count(m => m.Outstanding);

    public List<UrgingView> Urgings { get; set; } = [];

    /// <summary>Data-quality notes on history brought from another system: what breaks a rule, with the source's own values.</summary>
    public List<DataQualityNoteView> DataQualityNotes { get; set; } = [];

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

/// <summary>A data-quality note (<see cref="SourceAnomalyNoted"/>): the anomaly's code, what it is, and the source's values (column → value).</summary>
public sealed record DataQualityNoteView(SourceAnomaly Anomaly, string Detail, IReadOnlyDictionary<string, string?> SourceValues,
    DateTimeOffset At, string By);

/// <summary>An urging (督办) by a supervisor.</summary>
public sealed record UrgingView(string Note, DateTimeOffset At, string By);

public sealed record ResolutionView(Remedy Remedy, string Description, decimal? Amount, string Reply, bool FirstContact, DateTimeOffset At, string By);

public sealed record MediationView(bool Eligible, string Reason, string? AgreementTerms = null, int? Copies = null,
    Referral? Referral = null, string? FailureReason = null, string? SettlementTerms = null);

public sealed record DeclineView(string Reason, string Explanation);

/// <summary>The case details: the fold for every flat field, and beside it what only a person reads.</summary>
public partial class ComplaintDetailsProjection : SingleStreamProjection<ComplaintDetails, Guid>
{
    public ComplaintDetailsProjection() => ComplaintStore.RebuildInLargeBatches(Options);

    public override ComplaintDetails? Evolve(ComplaintDetails? snapshot, Guid id, IEvent e) => Evolve(snapshot, e.Data);

    /// <summary>The page after one more event; pure, so that a test can check it against the fold.</summary>
    public static ComplaintDetails? Evolve(ComplaintDetails? details, object @event)
    {
        if (details is null)
            return @event is ComplaintReceived received
                ? new ComplaintDetails
                {
                    Case = Complaint.From(received),
                    Id = received.ComplaintId,
                    Complainant = received.Complainant,
                    Description = received.Description,
                    RemedySought = received.RemedySought,
                }
                : null;

        details.Case = details.Case.After(@event);
        var at = (@event as IComplaintEvent)?.At;
        switch (@event)
        {
            case ComplaintDeclined e:
                details.Decline = new DeclineView(e.Reason, e.Explanation);
                details.PublicReply = e.Explanation;
                break;
            case FindingsRecorded e: details.Findings = e.Summary; break;
            case ComplaintResolved e:
                details.Resolution = new ResolutionView(e.Remedy, e.Description, e.Amount, e.Reply, e.FirstContact, e.At, e.By);
                details.PublicReply = e.Reply;
                break;
            case MediationAssessed e: details.Mediation = new MediationView(e.Eligible, e.Reason); break;
            case MediationAgreementSigned e:
                details.Mediation = details.Mediation! with { AgreementTerms = e.Terms, Copies = e.Copies };
                ResolvedByAgreement(details, e.Terms, e);
                break;
            case SettledByParties e:
                details.Mediation = (details.Mediation ?? new MediationView(false, SettledWithoutAssessment)) with { SettlementTerms = e.Terms };
                ResolvedByAgreement(details, e.Terms, e);
                break;
            case MediationFailed e: details.Mediation = details.Mediation! with { Referral = e.Referral, FailureReason = e.Reason }; break;
            case FollowUpRecorded e: details.LastFollowUpComment = e.Comment; break;
            case ComplaintReReviewed e: details.RevisedPlan = e.RevisedPlan; break;
            case PersonalDataErased: Erase(details); break;
            case ServicePromiseMissed e: details.MissedPromises.Add(new MissedPromiseView(e.Promise, e.DueAt, e.At)); break;
            case ComplaintUrged e: details.Urgings.Add(new UrgingView(e.Note, e.At, e.By)); break;
            case SourceAnomalyNoted e: details.DataQualityNotes.Add(new DataQualityNoteView(e.Anomaly, e.Detail, e.SourceValues, e.At, e.By)); break;
        }

        // A missed promise stays outstanding until the step it promised happens, or the case closes without it.
        var kept = ServicePromises.KeptBy(@event);
        for (var i = 0; i < details.MissedPromises.Count; i++)
            if (details.MissedPromises[i] is { Outstanding: true } missed)
                if (kept.Contains(missed.Promise)) details.MissedPromises[i] = missed with { KeptAt = at };
                else if (@event is ComplaintClosed) details.MissedPromises[i] = missed with { EndedUnkeptAt = at };
        return details;
    }

    /// <summary>The page as the erased events give it: every text from them erased, as <see cref="PersonalData"/> erases it.</summary>
    private static void Erase(ComplaintDetails details)
    {
        details.Complainant = Complainant.Erased;
        details.Description = PersonalData.Erased;
        details.RemedySought = PersonalData.Erase(details.RemedySought);
        details.Findings = PersonalData.Erase(details.Findings);
        details.Resolution = details.Resolution is { } resolution
            ? resolution with { Description = PersonalData.Erased, Reply = PersonalData.Erased }
            : null;
        details.Mediation = details.Mediation is { } mediation
            ? mediation with
            {
                Reason = mediation.Reason == SettledWithoutAssessment ? mediation.Reason : PersonalData.Erased,
                AgreementTerms = PersonalData.Erase(mediation.AgreementTerms),
                FailureReason = PersonalData.Erase(mediation.FailureReason),
                SettlementTerms = PersonalData.Erase(mediation.SettlementTerms),
            }
            : null;
        details.Decline = details.Decline is null ? null : new DeclineView(PersonalData.Erased, PersonalData.Erased);
        details.PublicReply = PersonalData.Erase(details.PublicReply);
        details.LastFollowUpComment = PersonalData.Erase(details.LastFollowUpComment);
        details.RevisedPlan = PersonalData.Erase(details.RevisedPlan);
        details.Urgings = details.Urgings.Select(u => u with { Note = PersonalData.Erased }).ToList();
        details.DataQualityNotes = details.DataQualityNotes.Select(n => n with { Detail = PersonalData.Erased }).ToList();
    }

    /// <summary>The office's own words for a settlement reached without a mediation: no one's personal data.</summary>
    private const string SettledWithoutAssessment = "settled by the parties";

    private static void ResolvedByAgreement(ComplaintDetails details, string terms, IComplaintEvent e)
    {
        details.Resolution = new ResolutionView(Remedy.Other, terms, null, terms, false, e.At, e.By);
        details.PublicReply = terms;
    }
}

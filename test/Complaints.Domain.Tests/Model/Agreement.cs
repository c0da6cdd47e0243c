using System.Reflection;
using Complaints.Projections.Analytics;
using Complaints.Projections.Complaints;
using V1 = Complaints.Contracts.V1;

namespace Complaints.Domain.Tests.Model;

/// <summary>A view, the fold or the reference model disagree; the message says which check, and where in the history.</summary>
public sealed class Disagreement(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The index of the step after which they disagreed, once known.</summary>
    public int? Step { get; init; }
}

/// <summary>
/// Walks a history event by event and holds the fold, the case details, the analytics row, the re-review queue and the
/// integration events to the reference model, and to each other, after every event (the queue after every step: a
/// step's events are recorded together, so the queue never shows a step half done).
/// </summary>
public static class Agreement
{
    public static void Check(IReadOnlyList<Histories.Step> history)
    {
        var model = new ReferenceModel();
        var views = new CaseViews();
        Complaint? before = null;
        for (var s = 0; s < history.Count; s++)
        {
            foreach (var @event in history[s].Events)
            {
                Where(s, history[s], $"event {model.Events + 1} ({@event.GetType().Name})", () =>
                {
                    model.Apply(@event);
                    views.Apply(@event, model.Events);
                    RoundsAgree(@event, model);
                    FoldAgreesWithModel(views.Fold!, model);
                    FoldMovesOnlyForward(before, views.Fold!, @event);
                    DetailsAgreeWithFold(views.Details!, views.Fold!, model);
                    AnalyticsRowAgrees(views.AnalyticsRow(), views.Analytics!, views.Fold!, model);
                    IntegrationEventsAgree(@event, views, model);
                });
                before = views.Fold;
            }
            Where(s, history[s], "end of step", () => ReReviewQueueAgrees(views.ReReviewQueueEntry(), model));
        }
    }

    private static void Where(int step, Histories.Step at, string place, Action check)
    {
        try { check(); }
        catch (Exception e) { throw new Disagreement($"step {step + 1} ({at.Action} at {at.At:yyyy-MM-dd HH:mm}), {place}: {e.Message}", e) { Step = step }; }
    }

    // 1. The fold against the reference model: status, milestones, rounds and counters.

    /// <summary>The rounds the events name count the re-reviews requested so far, as Events.cs tells them.</summary>
    private static void RoundsAgree(object @event, ReferenceModel model)
    {
        switch (@event)
        {
            case ReReviewRequested request: Same("ReReviewRequested Round (requests so far)", request.Round, model.ReReviewsRequested); break;
            case ComplaintReReviewed reviewed: Same("ComplaintReReviewed Round (the round requested)", reviewed.Round, model.LastRequestedRound); break;
            case FollowUpRecorded followUp: Same("FollowUpRecorded Round (re-reviews before it)", followUp.Round, model.ReReviewsRequested); break;
            case ComplaintEscalatedToHigherLevel escalated: Same("ComplaintEscalatedToHigherLevel RoundsUsed", escalated.RoundsUsed, model.ReReviewsRequested); break;
        }
        if (model.ReReviewsRequested > Histories.Policies.ReReview.MaxRounds)
            throw new Disagreement($"{model.ReReviewsRequested} re-reviews requested; the policy allows {Histories.Policies.ReReview.MaxRounds}");
    }

    private static void FoldAgreesWithModel(Complaint fold, ReferenceModel model)
    {
        Same("fold Version (events folded)", fold.Version, (long)model.Events);
        Same("fold Status", fold.Status, model.Status);
        Same("fold CloseReason", fold.CloseReason, model.CloseReason);
        Same("fold ReceivedAt", fold.ReceivedAt, model.ReceivedAt);
        Same("fold AcceptedAt", fold.AcceptedAt, model.AcceptedAt);
        Same("fold DeclinedAt", fold.DeclinedAt, model.DeclinedAt);
        Same("fold FirstAssignedAt", fold.FirstAssignedAt, model.FirstAssignedAt);
        Same("fold AssignedAt", fold.AssignedAt, model.AssignedAt);
        Same("fold FirstResponseAt", fold.FirstResponseAt, model.FirstResponseAt);
        Same("fold FirstResolvedAt", fold.FirstResolvedAt, model.FirstResolvedAt);
        Same("fold ResolvedAt", fold.ResolvedAt, model.ResolvedAt);
        Same("fold FirstFollowUpAt", fold.FirstFollowUpAt, model.FirstFollowUpAt);
        Same("fold ReReviewRequestedAt", fold.ReReviewRequestedAt, model.ReReviewRequestedAt);
        Same("fold EscalatedToHigherLevelAt", fold.EscalatedToHigherLevelAt, model.EscalatedToHigherLevelAt);
        Same("fold MediationEndedAt", fold.MediationEndedAt, model.MediationEndedAt);
        Same("fold ClosedAt", fold.ClosedAt, model.ClosedAt);
        Same("fold ArchivedAt", fold.ArchivedAt, model.ArchivedAt);
        Same("fold PersonalDataErasedAt", fold.PersonalDataErasedAt, model.PersonalDataErasedAt);
        Same("fold AccessCodeHash", fold.AccessCodeHash, model.AccessCodeHash);
        Same("fold LastStepAt", fold.LastStepAt, model.LastStepAt);
        Same("fold LastEventAt", fold.LastEventAt, model.LastEventAt);
        Same("fold Returns", fold.Returns, model.Returns);
        Same("fold Evidence", fold.Evidence, model.Evidence);
        Same("fold Escalations", fold.Escalations, model.Escalations);
        Same("fold ReReviewRound (the last round requested)", fold.ReReviewRound, model.LastRequestedRound);
        Same("fold ReReviewRound (re-reviews requested)", fold.ReReviewRound, model.ReReviewsRequested);
        Same("fold FollowUps", fold.FollowUps, model.FollowUps);
        Same("fold FollowUpAttempts", fold.FollowUpAttempts, model.FollowUpAttempts);
        Same("fold Urgings", fold.Urgings, model.Urgings);
        Same("fold MissedPromises", fold.MissedPromises, model.MissedPromises.Count);
        Same("fold LastSatisfactionScore", fold.LastSatisfactionScore, model.LastScore);
        Same("fold SourceAnomalies", fold.SourceAnomalies.Count, model.SourceAnomalies);
    }

    // Invariants of the fold from one event to the next.

    private static readonly (string Name, Func<Complaint, DateTimeOffset?> Of)[] FirstTimes =
    [
        ("ReceivedAt", c => c.ReceivedAt), ("AcceptedAt", c => c.AcceptedAt), ("DeclinedAt", c => c.DeclinedAt),
        ("FirstAssignedAt", c => c.FirstAssignedAt), ("FirstResponseAt", c => c.FirstResponseAt),
        ("FirstResolvedAt", c => c.FirstResolvedAt), ("FirstFollowUpAt", c => c.FirstFollowUpAt), ("ClosedAt", c => c.ClosedAt),
        ("ArchivedAt", c => c.ArchivedAt),
    ];

    private static readonly (string Name, Func<Complaint, DateTimeOffset?> Of)[] LatestTimes =
    [
        ("AssignedAt", c => c.AssignedAt), ("ResolvedAt", c => c.ResolvedAt), ("ReReviewRequestedAt", c => c.ReReviewRequestedAt),
        // A case resolved at a higher level may go up again after its next follow-up.
        ("EscalatedToHigherLevelAt", c => c.EscalatedToHigherLevelAt), ("LastStepAt", c => c.LastStepAt), ("LastEventAt", c => c.LastEventAt),
    ];

    private static readonly (string Name, Func<Complaint, int> Of)[] Counters =
    [
        ("Returns", c => c.Returns), ("Evidence", c => c.Evidence), ("Escalations", c => c.Escalations),
        ("ReReviewRound", c => c.ReReviewRound), ("FollowUps", c => c.FollowUps), ("FollowUpAttempts", c => c.FollowUpAttempts),
        ("Urgings", c => c.Urgings), ("MissedPromises", c => c.MissedPromises), ("SourceAnomalies", c => c.SourceAnomalies.Count),
    ];

    /// <summary>The latest times that only ever move forward, whatever the history: the others follow the latest step recorded.</summary>
    private static readonly string[] AlwaysForward = ["LastStepAt", "LastEventAt"];

    private static void FoldMovesOnlyForward(Complaint? before, Complaint after, object @event)
    {
        if (before is null) return;
        // A step a source dated before the previous one (recorded as history, and noted) sets the latest assignment or
        // resolution to its own, earlier, time; the case's latest step stays where it was.
        var dated = ((IComplaintEvent)@event).At < before.LastStepAt;
        foreach (var (name, of) in FirstTimes)
            if (of(before) is { } was && of(after) != was)
                throw new Disagreement($"milestone {name} moved from {Show(was)} to {Show(of(after))}; a first time, once set, never changes");
        foreach (var (name, of) in LatestTimes)
            if (of(before) is { } was && !(of(after) >= was) && (!dated || AlwaysForward.Contains(name)))
                throw new Disagreement($"{name} went back from {Show(was)} to {Show(of(after))}");
        foreach (var (name, of) in Counters)
            if (of(after) < of(before))
                throw new Disagreement($"counter {name} went down from {of(before)} to {of(after)}");
    }

    // 2. The case details against the fold.

    /// <summary>The details' names for fold fields named otherwise; every other read-only field has the fold's name.</summary>
    private static readonly Dictionary<string, string> FoldNames = new()
    {
        [nameof(ComplaintDetails.ReturnCount)] = nameof(Complaint.Returns),
        [nameof(ComplaintDetails.EvidenceCount)] = nameof(Complaint.Evidence),
        [nameof(ComplaintDetails.EscalationCount)] = nameof(Complaint.Escalations),
        [nameof(ComplaintDetails.FollowUpCount)] = nameof(Complaint.FollowUps),
    };

    /// <summary>
    /// Every flat field the details read from the fold: their read-only properties (the details set only what they fold
    /// themselves), each paired with the fold's. Found by reflection, so that a field added later is checked too.
    /// </summary>
    private static readonly (PropertyInfo Details, PropertyInfo Fold)[] FlatFields = typeof(ComplaintDetails).GetProperties()
        .Where(p => !p.CanWrite && p.Name != nameof(ComplaintDetails.OutstandingMissedPromises))
        .Select(p => (p, typeof(Complaint).GetProperty(FoldNames.GetValueOrDefault(p.Name, p.Name))
            ?? throw new InvalidOperationException($"ComplaintDetails.{p.Name} has no field of the fold to be checked against")))
        .ToArray();

    private static void DetailsAgreeWithFold(ComplaintDetails details, Complaint fold, ReferenceModel model)
    {
        Same("details Id", details.Id, fold.Id);
        foreach (var (field, foldField) in FlatFields)
            Same($"details {field.Name} (fold {foldField.Name})", field.GetValue(details), foldField.GetValue(fold));

        Same("details MissedPromises.Count (fold MissedPromises)", details.MissedPromises.Count, fold.MissedPromises);
        Same("details Urgings.Count (fold Urgings)", details.Urgings.Count, fold.Urgings);
        Same("details DataQualityNotes.Count (fold SourceAnomalies)", details.DataQualityNotes.Count, fold.SourceAnomalies.Count);
        Same("details DataQualityNotes (fold SourceAnomalies)", string.Join(",", details.DataQualityNotes.Select(n => n.Anomaly)),
            string.Join(",", fold.SourceAnomalies));
        if (fold.Status is ComplaintStatus.Closed or ComplaintStatus.Archived)
            Same("details OutstandingMissedPromises once the case is closed", details.OutstandingMissedPromises, 0);
        // Each missed promise is kept by the first step it promised after the miss, or ends unkept at the close.
        for (var i = 0; i < model.MissedPromises.Count; i++)
            Same($"details MissedPromises[{i}]", details.MissedPromises[i], model.MissedPromises[i]);
    }

    // 3. The analytics case row against the fold and the reference model.

    private static void AnalyticsRowAgrees(IReadOnlyDictionary<string, object?> row, AnalyticsCase analytics, Complaint fold, ReferenceModel model)
    {
        Same("analytics complaint_id", row["complaint_id"], fold.Id);
        Same("analytics status (fold)", row["status"], fold.Status.ToString());
        Same("analytics status", row["status"], model.Status.ToString());
        Same("analytics close_reason", row["close_reason"], model.CloseReason?.ToString());
        Same("analytics received_at", row["received_at"], model.ReceivedAt);
        Same("analytics accepted_at", row["accepted_at"], model.AcceptedAt);
        Same("analytics declined_at", row["declined_at"], model.DeclinedAt);
        Same("analytics first_assigned_at", row["first_assigned_at"], model.FirstAssignedAt);
        Same("analytics first_response_at", row["first_response_at"], model.FirstResponseAt);
        Same("analytics first_resolved_at", row["first_resolved_at"], model.FirstResolvedAt);
        Same("analytics resolved_at", row["resolved_at"], model.ResolvedAt);
        Same("analytics first_follow_up_at", row["first_follow_up_at"], model.FirstFollowUpAt);
        Same("analytics escalated_to_higher_level_at", row["escalated_to_higher_level_at"], model.EscalatedToHigherLevelAt);
        Same("analytics mediation_ended_at", row["mediation_ended_at"], model.MediationEndedAt);
        Same("analytics closed_at", row["closed_at"], model.ClosedAt);
        Same("analytics re_review_rounds", row["re_review_rounds"], model.LastRequestedRound);
        Same("analytics returns", row["returns"], model.Returns);
        Same("analytics escalations", row["escalations"], model.Escalations);
        Same("analytics missed_promises", row["missed_promises"], model.MissedPromises.Count);
        Same("analytics urgings", row["urgings"], model.Urgings);
        Same("analytics source_anomalies", row["source_anomalies"], model.SourceAnomalies);
        Same("analytics last_score", row["last_score"], model.LastScore);
        Same("analytics last_event_at", row["last_event_at"], model.LastEventAt);
        // Each value must also travel as its column's declared type: a mismatch would fail the projection's batch write.
        foreach (var column in AnalyticsTables.CaseColumns)
            try { column.Values([analytics]); }
            catch (InvalidCastException) { throw new Disagreement($"analytics {column.Name}: {Show(row[column.Name])} is not a {column.Type}"); }
    }

    // 4. The re-review queue against the reference model.

    private static void ReReviewQueueAgrees((int Round, DateTimeOffset RequestedAt)? entry, ReferenceModel model)
    {
        if (entry is null)
        {
            if (model.WaitingForReReview)
                throw new Disagreement($"the case is not in the re-review queue, but round {model.LastRequestedRound} was requested and not yet taken up");
            return;
        }
        if (!model.WaitingForReReview)
            throw new Disagreement($"the case is in the re-review queue (round {entry.Value.Round}), but no re-review is waiting");
        Same("re-review queue round", entry.Value.Round, model.LastRequestedRound);
        Same("re-review queue requested at", entry.Value.RequestedAt, model.ReReviewRequestedAt);
    }

    // 5. The integration events against the events and the fold.

    /// <summary>The public event each internal event is published as; null for one other services do not hear of.</summary>
    private static Type? PublishedAs(object @event) => @event switch
    {
        ComplaintReceived => typeof(V1.ComplaintReceived),
        ComplaintAssigned => typeof(V1.ComplaintAssigned),
        ComplaintResolved or MediationAgreementSigned or SettledByParties => typeof(V1.ComplaintResolved),
        FollowUpRecorded => typeof(V1.FollowUpRecorded),
        ReReviewRequested => typeof(V1.ReReviewRequested),
        ComplaintEscalated or ComplaintEscalatedToHigherLevel => typeof(V1.ComplaintEscalated),
        ServicePromiseMissed => typeof(V1.ServicePromiseMissed),
        ComplaintClosed => typeof(V1.ComplaintClosed),
        _ => null,
    };

    private static void IntegrationEventsAgree(object @event, CaseViews views, ReferenceModel model)
    {
        var fold = views.Fold!;
        var published = views.LastPublished;
        Same("integration event published", published?.GetType().Name, PublishedAs(@event)?.Name);
        if (published is not null)
        {
            Same("integration event Version (its place in the stream)", published.Version, (long)model.Events);
            Same("integration event Version (fold)", published.Version, fold.Version);
            Same("integration event ComplaintId", published.ComplaintId, fold.Id);
            Same("integration event TrackingNumber", published.TrackingNumber, fold.TrackingNumber);
            Same("integration event OccurredAt", published.OccurredAt, ((IComplaintEvent)@event).At);
            switch (published)
            {
                case V1.ComplaintClosed closed:
                    Same("integration ComplaintClosed Reason (fold)", closed.Reason, fold.CloseReason?.ToString());
                    Same("integration ComplaintClosed Reason", closed.Reason, model.CloseReason?.ToString());
                    break;
                case V1.ReReviewRequested request:
                    Same("integration ReReviewRequested Round (fold)", request.Round, fold.ReReviewRound);
                    Same("integration ReReviewRequested Round", request.Round, model.LastRequestedRound);
                    break;
                case V1.ComplaintEscalated escalated:
                    Same("integration ComplaintEscalated Level", escalated.Level,
                        @event is ComplaintEscalated ? EscalationLevel.Management.ToString() : EscalationLevel.HigherLevel.ToString());
                    break;
            }
        }

        // Exactly one public event per mapped internal event, so far.
        Same("integration ComplaintReceived published", Count<V1.ComplaintReceived>(views), 1);
        Same("integration ComplaintAssigned published", Count<V1.ComplaintAssigned>(views), model.Assignments);
        Same("integration ComplaintResolved published", Count<V1.ComplaintResolved>(views), model.Resolutions);
        Same("integration FollowUpRecorded published", Count<V1.FollowUpRecorded>(views), model.FollowUps);
        Same("integration ReReviewRequested published", Count<V1.ReReviewRequested>(views), model.ReReviewsRequested);
        Same("integration ComplaintEscalated published", Count<V1.ComplaintEscalated>(views), model.Escalations + model.HigherLevelEscalations);
        Same("integration ServicePromiseMissed published", Count<V1.ServicePromiseMissed>(views), model.MissedPromises.Count);
        Same("integration ComplaintClosed published", Count<V1.ComplaintClosed>(views), model.ClosedAt is null ? 0 : 1);
    }

    private static int Count<T>(CaseViews views) => views.Published.Count(p => p is T);

    private static void Same<T>(string what, T actual, T expected)
    {
        if (!Equals(actual, expected)) throw new Disagreement($"{what} is {Show(actual)}, expected {Show(expected)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        DateTimeOffset at => at.ToString("yyyy-MM-dd HH:mm"),
        _ => value.ToString()!,
    };
}

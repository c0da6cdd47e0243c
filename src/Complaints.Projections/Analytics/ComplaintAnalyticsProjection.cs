using Complaints.Domain;
using JasperFx.Events;
using Marten;
using Marten.Events.Daemon;
using Marten.Events.Projections;
using static Complaints.Projections.Analytics.AnalyticsTables;

namespace Complaints.Projections.Analytics;

/// <summary>
/// Fills the analysts' tables from the events, run by the async daemon. Every time written is the time the
/// fact happened (the event's At), so history imported later lands in its real month. Rebuilding empties the
/// tables and replays every event.
/// </summary>
public partial class ComplaintAnalyticsProjection : EventProjection
{
    private readonly ComplainantKeys keys;

    public const string ProjectionName = "ComplaintAnalytics";

    public ComplaintAnalyticsProjection(ComplainantKeys keys)
    {
        this.keys = keys;
        Name = ProjectionName;
        foreach (var table in new[] { CaseTable(), FollowUpTable(), ReReviewTable(), EscalationTable(), MissedPromiseTable() })
        {
            SchemaObjects.Add(table);
            Options.DeleteDataInTableOnTeardown(table.Identifier.QualifiedName);
        }
    }

    public void Project(ComplaintReceived e, IDocumentOperations ops) => ops.QueueSqlCommand(
        $"""
        insert into {Cases} (complaint_id, tracking_number, channel, category, location, complainant_key, status, received_at, last_event_at)
        values (?, ?, ?, ?, ?, ?, 'Received', ?::timestamptz, ?::timestamptz)
        on conflict (complaint_id) do nothing
        """,
        e.ComplaintId, e.TrackingNumber, e.Channel.ToString(), Text(e.Category), Text(e.Location), Text(e.ErasedComplainantKey ?? keys.For(e.Complainant)),
        Utc(e.At), Utc(e.At));

    public void Project(IEvent<ComplaintAccepted> e, IDocumentOperations ops) =>
        Update(ops, e, "status = 'Accepted', accepted_at = coalesce(accepted_at, ?::timestamptz)", Utc(e.Data.At));

    public void Project(IEvent<ComplaintDeclined> e, IDocumentOperations ops) =>
        Update(ops, e, "declined_at = ?::timestamptz", Utc(e.Data.At));

    public void Project(IEvent<ComplaintTriaged> e, IDocumentOperations ops) =>
        Update(ops, e, "category = ?", e.Data.Category);

    public void Project(IEvent<ComplaintAssigned> e, IDocumentOperations ops) => Update(ops, e,
        "status = 'Assigned', department = ?, first_assigned_at = coalesce(first_assigned_at, ?::timestamptz), due_at = coalesce(?::timestamptz, due_at)",
        e.Data.Department, Utc(e.Data.At), Utc(e.Data.DueAt));

    public void Project(IEvent<ComplaintReturned> e, IDocumentOperations ops) =>
        Update(ops, e, "status = 'Accepted', department = null, returns = returns + 1");

    public void Project(IEvent<FirstResponseMade> e, IDocumentOperations ops) =>
        Update(ops, e, "status = 'Investigating', first_response_at = coalesce(first_response_at, ?::timestamptz)", Utc(e.Data.At));

    public void Project(IEvent<EvidenceRecorded> e, IDocumentOperations ops) =>
        Update(ops, e, "status = case status when 'Assigned' then 'Investigating' else status end");

    public void Project(IEvent<FindingsRecorded> e, IDocumentOperations ops) =>
        Update(ops, e, "status = case status when 'Assigned' then 'Investigating' else status end");

    public void Project(IEvent<ComplaintEscalated> e, IDocumentOperations ops)
    {
        Update(ops, e, "escalations = escalations + 1");
        Escalated(ops, e, "Management");
    }

    public void Project(IEvent<ExpectedResolutionDateGiven> e, IDocumentOperations ops) =>
        Update(ops, e, "expected_by = ?::timestamptz", Utc(e.Data.ExpectedBy));

    public void Project(IEvent<ResolutionDueExtended> e, IDocumentOperations ops) => Update(ops, e, "due_at = ?::timestamptz", Utc(e.Data.DueAt));

    public void Project(IEvent<ComplaintResolved> e, IDocumentOperations ops) =>
        Resolved(ops, e, e.Data.Remedy, e.Data.FirstContact, mediationOutcome: null);

    public void Project(IEvent<MediationAssessed> e, IDocumentOperations ops) =>
        Update(ops, e, "status = case when ? then 'InMediation' else status end, mediation_outcome = ?",
            e.Data.Eligible, e.Data.Eligible ? "InMediation" : "NotEligible");

    public void Project(IEvent<MediationAgreementSigned> e, IDocumentOperations ops) =>
        Resolved(ops, e, Remedy.Other, firstContact: false, mediationOutcome: "Agreement");

    public void Project(IEvent<SettledByParties> e, IDocumentOperations ops) =>
        Resolved(ops, e, Remedy.Other, firstContact: false, mediationOutcome: "Settled");

    public void Project(IEvent<MediationFailed> e, IDocumentOperations ops) =>
        Update(ops, e, "mediation_outcome = 'Failed', referral = ?, mediation_ended_at = ?::timestamptz", e.Data.Referral.ToString(), Utc(e.Data.At));

    public void Project(IEvent<FollowUpRecorded> e, IDocumentOperations ops)
    {
        var f = e.Data;
        Update(ops, e, "first_follow_up_at = coalesce(first_follow_up_at, ?::timestamptz), last_score = ?, last_satisfied = ?",
            Utc(f.At), f.Score, f.Satisfied);
        ops.QueueSqlCommand(
            $"""
            insert into {FollowUps} (complaint_id, version, followed_up_at, round, satisfied, score, rectified, channel, category, department, remedy)
            select complaint_id, ?, ?::timestamptz, ?, ?, ?, ?, channel, category, department, first_remedy from {Cases} where complaint_id = ?
            on conflict (complaint_id, version) do nothing
            """,
            e.Version, Utc(f.At), f.Round, f.Satisfied, f.Score, f.Rectified, e.StreamId);
        if (f.Round > 0 && f.Rectified)
            ops.QueueSqlCommand(
                $"update {ReReviews} set next_follow_up_satisfied = ? where complaint_id = ? and round = ? and next_follow_up_satisfied is null",
                f.Satisfied, e.StreamId, f.Round);
    }

    public void Project(IEvent<RectificationOrdered> e, IDocumentOperations ops) =>
        Update(ops, e, "status = case when first_assigned_at is null then 'Investigating' else 'Assigned' end");

    public void Project(IEvent<ReReviewRequested> e, IDocumentOperations ops)
    {
        Update(ops, e, "status = 'AwaitingReReview', re_review_rounds = ?", e.Data.Round);
        ops.QueueSqlCommand(
            $"""
            insert into {ReReviews} (complaint_id, round, requested_at, score, unsatisfying_remedy) values (?, ?, ?::timestamptz, ?, ?)
            on conflict (complaint_id, round) do nothing
            """,
            e.StreamId, e.Data.Round, Utc(e.Data.At), e.Data.Score, Text(e.Data.UnsatisfyingRemedy?.ToString()));
    }

    public void Project(IEvent<ComplaintReReviewed> e, IDocumentOperations ops)
    {
        Update(ops, e, "status = 'Investigating'");
        EndReReview(ops, e, "ReReviewed");
    }

    public void Project(IEvent<ComplaintEscalatedToHigherLevel> e, IDocumentOperations ops)
    {
        Update(ops, e, "status = 'EscalatedToHigherLevel', escalated_to_higher_level_at = ?::timestamptz", Utc(e.Data.At));
        Escalated(ops, e, "HigherLevel");
    }

    public void Project(IEvent<ComplaintWithdrawn> e, IDocumentOperations ops) => EndReReview(ops, e, "Withdrawn");

    public void Project(IEvent<ComplaintClosed> e, IDocumentOperations ops) =>
        Update(ops, e, "status = 'Closed', close_reason = ?, closed_at = ?::timestamptz", e.Data.Reason.ToString(), Utc(e.Data.At));

    public void Project(IEvent<ComplaintArchived> e, IDocumentOperations ops) => Update(ops, e, "status = 'Archived'");

    public void Project(IEvent<ServicePromisesGiven> e, IDocumentOperations ops) =>
        Update(ops, e, "due_at = coalesce(?::timestamptz, due_at)", Utc(e.Data.ResolutionDueAt));

    public void Project(IEvent<ServicePromiseMissed> e, IDocumentOperations ops)
    {
        Update(ops, e, "missed_promises = missed_promises + 1");
        ops.QueueSqlCommand(
            $"""
            insert into {MissedPromises} (complaint_id, version, promise, due_at, recorded_at, channel, category, department)
            select complaint_id, ?, ?, ?::timestamptz, ?::timestamptz, channel, category, department from {Cases} where complaint_id = ?
            on conflict (complaint_id, version) do nothing
            """,
            e.Version, e.Data.Promise.ToString(), Utc(e.Data.DueAt), Utc(e.Data.At), e.StreamId);
    }

    public void Project(IEvent<ComplaintUrged> e, IDocumentOperations ops) => Update(ops, e, "urgings = urgings + 1");

    private static void Resolved(IDocumentOperations ops, IEvent e, Remedy remedy, bool firstContact, string? mediationOutcome) => Update(ops, e,
        """
        status = 'Resolved', resolved_at = ?::timestamptz, first_resolved_at = coalesce(first_resolved_at, ?::timestamptz),
        first_remedy = coalesce(first_remedy, ?), first_contact = first_contact or ?, mediation_outcome = coalesce(?, mediation_outcome),
        mediation_ended_at = case when ?::text is null then mediation_ended_at else ?::timestamptz end
        """,
        Utc(At(e)), Utc(At(e)), remedy.ToString(), firstContact, Text(mediationOutcome), Text(mediationOutcome), Utc(At(e)));

    private static void Escalated(IDocumentOperations ops, IEvent e, string level) => ops.QueueSqlCommand(
        $"insert into {Escalations} (complaint_id, version, escalated_at, level) values (?, ?, ?::timestamptz, ?) on conflict do nothing",
        e.StreamId, e.Version, Utc(At(e)), level);

    private static void EndReReview(IDocumentOperations ops, IEvent e, string outcome) => ops.QueueSqlCommand(
        $"update {ReReviews} set reviewed_at = ?::timestamptz, outcome = ? where complaint_id = ? and outcome is null",
        Utc(At(e)), outcome, e.StreamId);

    /// <summary>Updates the case's row; every update also moves last_event_at.</summary>
    private static void Update(IDocumentOperations ops, IEvent e, string set, params object[] values) => ops.QueueSqlCommand(
        $"update {Cases} set {set}, last_event_at = greatest(last_event_at, ?::timestamptz) where complaint_id = ?",
        [.. values, Utc(At(e)), e.StreamId]);

    private static DateTimeOffset At(IEvent e) => e.Data is IComplaintEvent fact ? fact.At : e.Timestamp;

    /// <summary>Times travel as ISO 8601 text cast to timestamptz in the SQL: Marten hands a DateTimeOffset to Npgsql as a plain timestamp.</summary>
    private static object Utc(DateTimeOffset? at) => at is { } value ? value.ToUniversalTime().ToString("O") : DBNull.Value;

    private static object Text(string? value) => value is null ? DBNull.Value : value;
}

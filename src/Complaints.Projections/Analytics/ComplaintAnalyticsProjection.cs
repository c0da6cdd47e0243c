using Complaints.Domain;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Npgsql;
using static Complaints.Projections.Analytics.AnalyticsTables;

namespace Complaints.Projections.Analytics;

/// <summary>
/// Fills the analysts' tables from the events, run by the async daemon. Every time written is the time the fact
/// happened (the event's At), so history imported later lands in its real month. A batch of events is projected case
/// by case in memory: the cases it touches are read once, changed event by event, and written back with one statement,
/// and the rows it adds go in with one statement per table, so a case's ten events cost one write, not ten. The
/// daemon applies batches one after another, each committed before the next is read. Rebuilding empties the tables
/// and replays every event.
/// </summary>
public sealed class ComplaintAnalyticsProjection(ComplainantKeys keys) : IProjection
{
    public const string ProjectionName = "ComplaintAnalytics";

    public static IEnumerable<Weasel.Postgresql.Tables.Table> Tables() =>
        [CaseTable(), FollowUpTable(), ReReviewTable(), EscalationTable(), MissedPromiseTable()];

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var cases = await Load(operations, events, cancellation);
        var touched = new HashSet<Guid>();
        var followUps = new List<FollowUpRow>();
        var escalations = new List<(Guid Id, long Version, DateTimeOffset At, string Level)>();
        var missed = new List<MissedRow>();

        foreach (var e in events)
        {
            if (e.Data is not IComplaintEvent fact) continue;
            cases.TryGetValue(e.StreamId, out var row);
            if (fact is ComplaintReceived received)
            {
                if (row is not null) continue;
                cases[e.StreamId] = CaseRow.Received(received, received.ErasedComplainantKey ?? keys.For(received.Complainant));
                touched.Add(e.StreamId);
                continue;
            }

            // The rows of other tables that do not need the case row.
            switch (fact)
            {
                case ComplaintEscalated: escalations.Add((e.StreamId, e.Version, fact.At, "Management")); break;
                case ComplaintEscalatedToHigherLevel: escalations.Add((e.StreamId, e.Version, fact.At, "HigherLevel")); break;
                case ReReviewRequested r:
                    operations.QueueSqlCommand(
                        $"""
                        insert into {ReReviews} (complaint_id, round, requested_at, score, unsatisfying_remedy) values (?, ?, ?::timestamptz, ?, ?)
                        on conflict (complaint_id, round) do nothing
                        """,
                        e.StreamId, r.Round, Utc(r.At), r.Score, Text(r.UnsatisfyingRemedy?.ToString()));
                    break;
                case ComplaintReReviewed: EndReReview(operations, e.StreamId, fact.At, "ReReviewed"); break;
                case ComplaintWithdrawn: EndReReview(operations, e.StreamId, fact.At, "Withdrawn"); break;
                case FollowUpRecorded { Round: > 0, Rectified: true } f:
                    operations.QueueSqlCommand(
                        $"update {ReReviews} set next_follow_up_satisfied = ? where complaint_id = ? and round = ? and next_follow_up_satisfied is null",
                        f.Satisfied, e.StreamId, f.Round);
                    break;
            }

            // A case whose receipt was never projected has no row to change.
            if (row is null || !row.Apply(fact)) continue;
            touched.Add(e.StreamId);
            // The dimensions as they are now: a later event of the same batch may move the case (a return, a re-triage).
            if (fact is FollowUpRecorded followUp) followUps.Add(new FollowUpRow(e.Version, followUp, row.ComplaintId, row.Channel, row.Category, row.Department, row.FirstRemedy));
            if (fact is ServicePromiseMissed miss) missed.Add(new MissedRow(row.ComplaintId, e.Version, miss, row.Channel, row.Category, row.Department));
        }

        WriteCases(operations, touched.Select(id => cases[id]).ToList());
        WriteFollowUps(operations, followUps);
        if (escalations.Count > 0)
            operations.QueueSqlCommand(
                $"""
                insert into {Escalations} (complaint_id, version, escalated_at, level)
                select * from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::text[]) on conflict do nothing
                """,
                escalations.Select(x => x.Id).ToArray(), escalations.Select(x => x.Version).ToArray(),
                escalations.Select(x => Iso(x.At)).ToArray(), escalations.Select(x => x.Level).ToArray());
        if (missed.Count > 0)
            operations.QueueSqlCommand(
                $"""
                insert into {MissedPromises} (complaint_id, version, promise, due_at, recorded_at, channel, category, department)
                select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                on conflict (complaint_id, version) do nothing
                """,
                missed.Select(x => x.Id).ToArray(), missed.Select(x => x.Version).ToArray(), missed.Select(x => x.Fact.Promise.ToString()).ToArray(),
                missed.Select(x => Iso(x.Fact.DueAt)).ToArray(), missed.Select(x => Iso(x.Fact.At)).ToArray(),
                missed.Select(x => x.Channel).ToArray(), missed.Select(x => x.Category).ToArray(), missed.Select(x => x.Department).ToArray());
    }

    /// <summary>
    /// The stored rows of the cases this batch touches; a receipt of a case already stored changes nothing. Read
    /// outside the batch's transaction: the previous batch has committed by now, and nothing else writes these tables.
    /// </summary>
    private static async Task<Dictionary<Guid, CaseRow>> Load(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var cases = events.Where(e => e.Data is IComplaintEvent).Select(e => e.StreamId).ToHashSet();
        var rows = new Dictionary<Guid, CaseRow>(cases.Count);
        if (cases.Count == 0) return rows;

        await using var connection = operations.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"select {string.Join(", ", CaseColumns.Select(c => c.Name))} from {Cases} where complaint_id = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = cases.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var row = new CaseRow();
            for (var i = 0; i < CaseColumns.Length; i++) CaseColumns[i].Read(row, reader, i);
            rows[row.ComplaintId] = row;
        }
        return rows;
    }

    private static void WriteCases(IDocumentOperations operations, IReadOnlyList<CaseRow> rows)
    {
        if (rows.Count == 0) return;
        var names = CaseColumns.Select(c => c.Name).ToArray();
        operations.QueueSqlCommand(
            $"""
            insert into {Cases} ({string.Join(", ", names)})
            select * from unnest({string.Join(", ", CaseColumns.Select(c => $"?::{c.Type}[]"))})
            on conflict (complaint_id) do update set {string.Join(", ", names.Skip(1).Select(n => $"{n} = excluded.{n}"))}
            """,
            CaseColumns.Select(c => c.Values(rows)).ToArray());
    }

    private static void WriteFollowUps(IDocumentOperations operations, IReadOnlyList<FollowUpRow> rows)
    {
        if (rows.Count == 0) return;
        operations.QueueSqlCommand(
            $"""
            insert into {FollowUps} (complaint_id, version, followed_up_at, round, satisfied, score, rectified, channel, category, department, remedy)
            select * from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::integer[], ?::boolean[], ?::integer[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[])
            on conflict (complaint_id, version) do nothing
            """,
            rows.Select(r => r.ComplaintId).ToArray(), rows.Select(r => r.Version).ToArray(), rows.Select(r => Iso(r.Fact.At)).ToArray(),
            rows.Select(r => r.Fact.Round).ToArray(), rows.Select(r => r.Fact.Satisfied).ToArray(), rows.Select(r => r.Fact.Score).ToArray(),
            rows.Select(r => r.Fact.Rectified).ToArray(), rows.Select(r => r.Channel).ToArray(), rows.Select(r => r.Category).ToArray(),
            rows.Select(r => r.Department).ToArray(), rows.Select(r => r.Remedy).ToArray());
    }

    /// <summary>A follow-up with the case's dimensions as they were when it happened.</summary>
    private sealed record FollowUpRow(long Version, FollowUpRecorded Fact, Guid ComplaintId, string Channel, string? Category, string? Department, string? Remedy);

    /// <summary>A missed promise with the case's dimensions as they were when it was recorded.</summary>
    private sealed record MissedRow(Guid Id, long Version, ServicePromiseMissed Fact, string Channel, string? Category, string? Department);

    private static void EndReReview(IDocumentOperations operations, Guid complaintId, DateTimeOffset at, string outcome) => operations.QueueSqlCommand(
        $"update {ReReviews} set reviewed_at = ?::timestamptz, outcome = ? where complaint_id = ? and outcome is null",
        Utc(at), outcome, complaintId);

    /// <summary>A column of the case table: its name, its type, how it is read into a row and written from rows.</summary>
    private sealed record CaseColumn(string Name, string Type, Action<CaseRow, NpgsqlDataReader, int> Read, Func<IReadOnlyList<CaseRow>, object> Values);

    private static CaseColumn Uuid(string name, Func<CaseRow, Guid> get, Action<CaseRow, Guid> set) =>
        new(name, "uuid", (row, r, i) => set(row, r.GetGuid(i)), rows => rows.Select(get).ToArray());

    private static CaseColumn Txt(string name, Func<CaseRow, string?> get, Action<CaseRow, string?> set) =>
        new(name, "text", (row, r, i) => set(row, r.IsDBNull(i) ? null : r.GetString(i)), rows => rows.Select(get).ToArray());

    private static CaseColumn Time(string name, Func<CaseRow, DateTimeOffset?> get, Action<CaseRow, DateTimeOffset?> set) =>
        new(name, "timestamptz", (row, r, i) => set(row, r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i)), rows => rows.Select(x => Iso(get(x))).ToArray());

    private static CaseColumn Int(string name, Func<CaseRow, int?> get, Action<CaseRow, int?> set) =>
        new(name, "integer", (row, r, i) => set(row, r.IsDBNull(i) ? null : r.GetInt32(i)), rows => rows.Select(get).ToArray());

    private static CaseColumn Bool(string name, Func<CaseRow, bool?> get, Action<CaseRow, bool?> set) =>
        new(name, "boolean", (row, r, i) => set(row, r.IsDBNull(i) ? null : r.GetBoolean(i)), rows => rows.Select(get).ToArray());

    /// <summary>Every column of analytics.complaint_cases, the key first.</summary>
    private static readonly CaseColumn[] CaseColumns =
    [
        Uuid("complaint_id", x => x.ComplaintId, (x, v) => x.ComplaintId = v),
        Txt("tracking_number", x => x.TrackingNumber, (x, v) => x.TrackingNumber = v!),
        Txt("channel", x => x.Channel, (x, v) => x.Channel = v!),
        Txt("category", x => x.Category, (x, v) => x.Category = v),
        Txt("department", x => x.Department, (x, v) => x.Department = v),
        Txt("location", x => x.Location, (x, v) => x.Location = v),
        Txt("complainant_key", x => x.ComplainantKey, (x, v) => x.ComplainantKey = v),
        Txt("status", x => x.Status, (x, v) => x.Status = v!),
        Txt("close_reason", x => x.CloseReason, (x, v) => x.CloseReason = v),
        Time("received_at", x => x.ReceivedAt, (x, v) => x.ReceivedAt = v!.Value),
        Time("accepted_at", x => x.AcceptedAt, (x, v) => x.AcceptedAt = v),
        Time("declined_at", x => x.DeclinedAt, (x, v) => x.DeclinedAt = v),
        Time("first_assigned_at", x => x.FirstAssignedAt, (x, v) => x.FirstAssignedAt = v),
        Time("due_at", x => x.DueAt, (x, v) => x.DueAt = v),
        Time("expected_by", x => x.ExpectedBy, (x, v) => x.ExpectedBy = v),
        Time("first_response_at", x => x.FirstResponseAt, (x, v) => x.FirstResponseAt = v),
        Time("first_resolved_at", x => x.FirstResolvedAt, (x, v) => x.FirstResolvedAt = v),
        Time("resolved_at", x => x.ResolvedAt, (x, v) => x.ResolvedAt = v),
        Txt("first_remedy", x => x.FirstRemedy, (x, v) => x.FirstRemedy = v),
        Bool("first_contact", x => x.FirstContact, (x, v) => x.FirstContact = v ?? false),
        Time("first_follow_up_at", x => x.FirstFollowUpAt, (x, v) => x.FirstFollowUpAt = v),
        Time("closed_at", x => x.ClosedAt, (x, v) => x.ClosedAt = v),
        Int("returns", x => x.Returns, (x, v) => x.Returns = v ?? 0),
        Int("escalations", x => x.Escalations, (x, v) => x.Escalations = v ?? 0),
        Time("escalated_to_higher_level_at", x => x.EscalatedToHigherLevelAt, (x, v) => x.EscalatedToHigherLevelAt = v),
        Int("re_review_rounds", x => x.ReReviewRounds, (x, v) => x.ReReviewRounds = v ?? 0),
        Txt("mediation_outcome", x => x.MediationOutcome, (x, v) => x.MediationOutcome = v),
        Time("mediation_ended_at", x => x.MediationEndedAt, (x, v) => x.MediationEndedAt = v),
        Txt("referral", x => x.Referral, (x, v) => x.Referral = v),
        Int("last_score", x => x.LastScore, (x, v) => x.LastScore = v),
        Bool("last_satisfied", x => x.LastSatisfied, (x, v) => x.LastSatisfied = v),
        Int("missed_promises", x => x.MissedPromises, (x, v) => x.MissedPromises = v ?? 0),
        Int("urgings", x => x.Urgings, (x, v) => x.Urgings = v ?? 0),
        Time("last_event_at", x => x.LastEventAt, (x, v) => x.LastEventAt = v!.Value),
    ];

    /// <summary>Times travel as ISO 8601 text cast to timestamptz in the SQL: Marten hands a DateTimeOffset to Npgsql as a plain timestamp.</summary>
    private static string? Iso(DateTimeOffset? at) => at?.ToUniversalTime().ToString("O");

    private static object Utc(DateTimeOffset? at) => Iso(at) is { } value ? value : DBNull.Value;

    private static object Text(string? value) => value is null ? DBNull.Value : value;
}

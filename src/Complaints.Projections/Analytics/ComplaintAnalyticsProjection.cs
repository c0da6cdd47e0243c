using Complaints.Domain;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using static Complaints.Projections.Analytics.AnalyticsTables;

namespace Complaints.Projections.Analytics;

/// <summary>
/// Fills the analysts' tables from the events, run by the async daemon. Every row is read from the complaint's one fold
/// (<see cref="Complaint"/>): the case row from its state after the batch, and each per-event row (follow-ups, missed
/// promises, escalations, re-review rounds) from its state right after that event, so a row keeps the case's dimensions as
/// they were then. Every time is the time the fact happened (the event's At), so history imported later lands in its real
/// month. A batch is projected case by case in memory: the cases it touches are folded from their earlier events (read
/// once for the whole batch, and only for cases that did not start in it), changed event by event, and written back with
/// one statement per table, so a case's ten events cost one write, not ten. The daemon applies batches one after another,
/// each committed before the next is read. Rebuilding empties the tables and replays every event. The folds of the cases
/// touched last are kept (<see cref="RecentFolds"/>), so a case's earlier events are read again only when its fold is not.
/// </summary>
public sealed class ComplaintAnalyticsProjection(ComplainantKeys keys) : IProjection
{
    private readonly RecentFolds _recent = new();

    public const string ProjectionName = "ComplaintAnalytics";

    public static IEnumerable<Weasel.Postgresql.Tables.Table> Tables() =>
        [CaseTable(), FollowUpTable(), ReReviewTable(), EscalationTable(), MissedPromiseTable()];

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var cases = await Earlier(operations, events, cancellation);
        var touched = new Dictionary<Guid, long>();
        var followUps = new List<(long Version, FollowUpRecorded Fact, Complaint Case)>();
        var escalations = new List<(Guid Id, long Version, DateTimeOffset At, EscalationLevel Level)>();
        var missed = new List<(long Version, ServicePromiseMissed Fact, Complaint Case)>();

        foreach (var e in events)
        {
            if (e.Data is not IComplaintEvent fact) continue;
            var known = cases.TryGetValue(e.StreamId, out var before);
            var after = Complaint.Evolve(known ? before.Case : null, fact);
            // A stream that never had a receipt has no case.
            if (after is null) continue;
            cases[e.StreamId] = (after, known ? before.Key : KeyOf((ComplaintReceived)fact));
            touched[e.StreamId] = e.Version;

            switch (fact)
            {
                case ComplaintEscalated: escalations.Add((e.StreamId, e.Version, fact.At, EscalationLevel.Management)); break;
                case ComplaintEscalatedToHigherLevel: escalations.Add((e.StreamId, e.Version, fact.At, EscalationLevel.HigherLevel)); break;
                case FollowUpRecorded f: followUps.Add((e.Version, f, after)); break;
                case ServicePromiseMissed m: missed.Add((e.Version, m, after)); break;
            }
            switch (fact)
            {
                case ReReviewRequested r:
                    operations.QueueSqlCommand(
                        $"""
                        insert into {ReReviews} (complaint_id, round, requested_at, score, unsatisfying_remedy) values (?, ?, ?::timestamptz, ?, ?)
                        on conflict (complaint_id, round) do nothing
                        """,
                        e.StreamId, r.Round, Utc(r.At), r.Score, Text(r.UnsatisfyingRemedy?.ToString()));
                    break;
                case ComplaintReReviewed: EndReReview(operations, e.StreamId, fact.At, ReReviewOutcome.ReReviewed); break;
                case ComplaintWithdrawn: EndReReview(operations, e.StreamId, fact.At, ReReviewOutcome.Withdrawn); break;
                case FollowUpRecorded { Round: > 0, Rectified: true } f:
                    operations.QueueSqlCommand(
                        $"update {ReReviews} set next_follow_up_satisfied = ? where complaint_id = ? and round = ? and next_follow_up_satisfied is null",
                        f.Satisfied, e.StreamId, f.Round);
                    break;
            }
        }

        foreach (var (id, version) in touched) _recent.Keep(id, new RecentFolds.Fold(version, cases[id].Case, cases[id].Key));
        WriteCases(operations, touched.Keys.Select(id => new AnalyticsCase(cases[id].Case, cases[id].Key)).ToList());
        WriteFollowUps(operations, followUps);
        if (escalations.Count > 0)
            operations.QueueSqlCommand(
                $"""
                insert into {Escalations} (complaint_id, version, escalated_at, level)
                select * from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::text[]) on conflict do nothing
                """,
                escalations.Select(x => x.Id).ToArray(), escalations.Select(x => x.Version).ToArray(),
                escalations.Select(x => Iso(x.At)).ToArray(), escalations.Select(x => x.Level.ToString()).ToArray());
        if (missed.Count > 0)
            operations.QueueSqlCommand(
                $"""
                insert into {MissedPromises} (complaint_id, version, promise, due_at, recorded_at, channel, category, department)
                select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                on conflict (complaint_id, version) do nothing
                """,
                missed.Select(x => x.Case.Id).ToArray(), missed.Select(x => x.Version).ToArray(), missed.Select(x => x.Fact.Promise.ToString()).ToArray(),
                missed.Select(x => Iso(x.Fact.DueAt)).ToArray(), missed.Select(x => Iso(x.Fact.At)).ToArray(),
                missed.Select(x => x.Case.Channel.ToString()).ToArray(), missed.Select(x => x.Case.Category).ToArray(),
                missed.Select(x => x.Case.Department).ToArray());
    }

    private string? KeyOf(ComplaintReceived received) => received.ErasedComplainantKey ?? keys.For(received.Complainant);

    /// <summary>
    /// The cases this batch touches as they stood before it: kept from an earlier batch, or folded from their earlier
    /// events, read in one query. A case whose receipt is in the batch has none. Read outside the batch's transaction: the
    /// previous batch has committed by now, and the daemon reads events in order, so every earlier event of these cases
    /// lies below the batch.
    /// </summary>
    private async Task<Dictionary<Guid, (Complaint Case, string? Key)>> Earlier(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var cases = new Dictionary<Guid, (Complaint Case, string? Key)>();
        var toFold = new List<Guid>();
        foreach (var stream in events.Where(e => e.Data is IComplaintEvent).GroupBy(e => e.StreamId))
        {
            var firstVersion = stream.First().Version;
            if (firstVersion <= 1) continue;
            if (_recent.TryGet(stream.Key, firstVersion - 1, out var kept)) cases[stream.Key] = (kept.Case, kept.Key);
            else toFold.Add(stream.Key);
        }
        if (toFold.Count == 0) return cases;

        var first = events.Min(e => e.Sequence);
        await using var session = operations.DocumentStore.QuerySession();
        // By stream only, so that the streams' index finds the rows: with a bound on the sequence as well, PostgreSQL walks
        // every earlier event in sequence order. The few events past the batch are dropped here.
        var streams = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(toFold.ToArray()))
            .ToListAsync(cancellation);
        foreach (var stream in streams.Where(e => e.Sequence < first).OrderBy(e => e.Sequence).GroupBy(e => e.StreamId))
            if (stream.Select(e => e.Data).Aggregate((Complaint?)null, Complaint.Evolve) is { } complaint
                && stream.First().Data is ComplaintReceived received)
                cases[stream.Key] = (complaint, KeyOf(received));
        return cases;
    }

    private static void WriteCases(IDocumentOperations operations, IReadOnlyList<AnalyticsCase> rows)
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

    /// <summary>Each follow-up with the case's dimensions as they were when it happened.</summary>
    private static void WriteFollowUps(IDocumentOperations operations, IReadOnlyList<(long Version, FollowUpRecorded Fact, Complaint Case)> rows)
    {
        if (rows.Count == 0) return;
        operations.QueueSqlCommand(
            $"""
            insert into {FollowUps} (complaint_id, version, followed_up_at, round, satisfied, score, rectified, channel, category, department, remedy)
            select * from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::integer[], ?::boolean[], ?::integer[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[])
            on conflict (complaint_id, version) do nothing
            """,
            rows.Select(r => r.Case.Id).ToArray(), rows.Select(r => r.Version).ToArray(), rows.Select(r => Iso(r.Fact.At)).ToArray(),
            rows.Select(r => r.Fact.Round).ToArray(), rows.Select(r => r.Fact.Satisfied).ToArray(), rows.Select(r => r.Fact.Score).ToArray(),
            rows.Select(r => r.Fact.Rectified).ToArray(), rows.Select(r => r.Case.Channel.ToString()).ToArray(), rows.Select(r => r.Case.Category).ToArray(),
            rows.Select(r => r.Case.Department).ToArray(), rows.Select(r => r.Case.FirstRemedy?.ToString()).ToArray());
    }

    private static void EndReReview(IDocumentOperations operations, Guid complaintId, DateTimeOffset at, ReReviewOutcome outcome) => operations.QueueSqlCommand(
        $"update {ReReviews} set reviewed_at = ?::timestamptz, outcome = ? where complaint_id = ? and outcome is null",
        Utc(at), outcome.ToString(), complaintId);

    private static string? Iso(DateTimeOffset? at) => at?.ToUniversalTime().ToString("O");

    private static object Utc(DateTimeOffset? at) => Iso(at) is { } value ? value : DBNull.Value;

    private static object Text(string? value) => value is null ? DBNull.Value : value;
}

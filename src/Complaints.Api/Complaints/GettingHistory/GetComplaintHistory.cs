using Complaints.Api.Commanding;
using Complaints.Api.Auditing;
using Complaints.Api.Http;
using Complaints.Domain;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GettingHistory;

/// <summary>
/// One recorded fact: when it happened (at), when it was stored (recordedAt), who did it and what it says; the piece of
/// work it belongs to (correlationId) and the request that caused it (causationId); its seal in the hash chain (hash).
/// </summary>
public sealed record HistoryEntry(long Version, long Sequence, string Type, DateTimeOffset At, DateTimeOffset RecordedAt, string? User, object Data,
    string? CorrelationId, string? CausationId, string? Hash);

public static class GetComplaintHistoryEndpoint
{
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/complaints/{id}/history")]
    [ProducesResponseType<HistoryEntry[]>(StatusCodes.Status200OK)]
    public static async Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, EventChain chain, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) throw new ComplaintNotFound(id);
        var hashes = await chain.Hashes(id, ct);
        return events
            .OrderBy(e => e.Version)
            .Select(e => new HistoryEntry(e.Version, e.Sequence, e.EventTypeName,
                e.Data is IComplaintEvent fact ? fact.At : e.Timestamp, e.Timestamp,
                (e.Data as IComplaintEvent)?.By ?? e.UserName, e.Data,
                e.CorrelationId, e.CausationId, hashes.GetValueOrDefault(e.Sequence)))
            .ToList();
    }
}

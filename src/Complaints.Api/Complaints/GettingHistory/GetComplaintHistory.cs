using Complaints.Api.Http;
using Complaints.Domain;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GettingHistory;

/// <summary>One recorded fact: when it happened (at), when it was stored (recordedAt), who did it and what it says.</summary>
public sealed record HistoryEntry(long Version, long Sequence, string Type, DateTimeOffset At, DateTimeOffset RecordedAt, string? User, object Data);

public static class GetComplaintHistoryEndpoint
{
    [WolverineGet("/api/complaints/{id}/history")]
    [ProducesResponseType<HistoryEntry[]>(StatusCodes.Status200OK)]
    public static async Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) throw new ComplaintNotFound(id);
        return events
            .OrderBy(e => e.Version)
            .Select(e => new HistoryEntry(e.Version, e.Sequence, e.EventTypeName,
                e.Data is IComplaintEvent fact ? fact.At : e.Timestamp, e.Timestamp,
                (e.Data as IComplaintEvent)?.By ?? e.UserName, e.Data))
            .ToList();
    }
}

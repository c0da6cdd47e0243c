using Complaints.Api.ApiReference;
using Complaints.Api.Auditing;
using Complaints.Api.Commanding;
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
    /// <summary>Get a complaint's history</summary>
    /// <remarks>
    /// Every event recorded on the complaint, in order: when it happened (`at`) and when it was stored (`recordedAt`), who
    /// did it, what it says (`data`), the piece of work and the request that caused it, and its seal in the hash chain.
    /// </remarks>
    /// <param name="id">The complaint's id.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [Tags(Capabilities.Audit)]
    [WolverineGet("/api/complaints/{id}/history", OperationId = "GetComplaintHistory")]
    [ProducesResponseType<HistoryEntry[]>(StatusCodes.Status200OK)]
    [ProblemAnswer(StatusCodes.Status404NotFound, "There is no complaint with this id.")]
    [ProblemAnswer(StatusCodes.Status429TooManyRequests, IdentityReads.Refusal)]
    public static async Task<IReadOnlyList<HistoryEntry>> Get(Guid id, IQuerySession session, EventChain chain, IdentityReads identities,
        HttpContext http, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) throw new ComplaintNotFound(id);
        if (!events.Any(e => e.Data is PersonalDataErased)) await identities.Admit(http, [id]);
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

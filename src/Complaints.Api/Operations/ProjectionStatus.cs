using Complaints.Api.ApiReference;
using JasperFx.Events.Daemon;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Operations;

public sealed record ProjectionPosition(string Shard, long Sequence, long Lag);

public sealed record ProjectionsStatus(long HighWaterMark, long EventCount, long StreamCount, IReadOnlyList<ProjectionPosition> Projections,
    long DeadLetterEvents);

public sealed record RebuildResult(string Projection, double Seconds, long HighWaterMark);

public static class ProjectionStatusEndpoints
{
    public static readonly string[] AsyncProjections = [Projections.Analytics.ComplaintAnalyticsProjection.ProjectionName];

    /// <summary>Get the projections' status</summary>
    /// <remarks>Each async projection's position against the event store's high-water mark, and the dead letter events.</remarks>
    [Authorize(Policy = Policies.Administer)]
    [Tags(Capabilities.Operations)]
    [WolverineGet("/api/admin/projections", OperationId = "GetProjections")]
    public static async Task<ProjectionsStatus> Get(IDocumentStore store, IQuerySession session, CancellationToken ct)
    {
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var deadLetters = await session.Query<DeadLetterEvent>().CountAsync(ct);
        var positions = progress
            .Where(p => p.ShardName != "HighWaterMark")
            .Select(p => new ProjectionPosition(p.ShardName, p.Sequence, Lag(statistics.EventSequenceNumber, p.Sequence)))
            .OrderBy(p => p.Shard)
            .ToList();
        return new ProjectionsStatus(statistics.EventSequenceNumber, statistics.EventCount, statistics.StreamCount, positions, deadLetters);
    }

    /// <summary>
    /// How many events each async projection trails the last one appended by, for the metrics: without the counts of
    /// events and streams, which scan their tables. A projection the daemon has not started on trails by the whole store.
    /// </summary>
    public static async Task<IReadOnlyList<(string Projection, long Lag)>> Lags(IDocumentStore store, CancellationToken ct)
    {
        var highWater = await store.Storage.Database.FetchHighestEventSequenceNumber(ct);
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        return AsyncProjections.Select(name => (name, progress
            .Where(p => p.ShardName.StartsWith(name + ":", StringComparison.Ordinal)).Select(p => Lag(highWater, p.Sequence))
            .DefaultIfEmpty(highWater).Max())).ToList();
    }

    private static long Lag(long highWater, long sequence) => Math.Max(0, highWater - sequence);

    /// <summary>Rebuild a projection</summary>
    /// <remarks>
    /// Rebuilds one async projection from the first event while the API runs: the daemon replays the whole store,
    /// then goes on with whatever was appended meanwhile.
    /// </remarks>
    /// <param name="name">The projection: one that GetProjections lists as async.</param>
    [Authorize(Policy = Policies.Administer)]
    [Tags(Capabilities.Operations)]
    [WolverinePost("/api/admin/projections/{name}/rebuild", OperationId = "RebuildProjection")]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "There is no async projection of that name.")]
    public static async Task<RebuildResult> Rebuild(string name, IDocumentStore store, IProjectionCoordinator coordinator, CancellationToken ct)
    {
        if (!AsyncProjections.Contains(name))
            throw new Http.BadRequest($"There is no async projection '{name}'; rebuildable: {string.Join(", ", AsyncProjections)}.");
        var started = System.Diagnostics.Stopwatch.StartNew();
        // The running daemon stops the projection's agent and replays every event into emptied tables. It leaves the
        // agent stopped (nothing restarts it in this host), so the agents this node ran are started again here;
        // otherwise the projection would stop following new events after every rebuild.
        var daemon = coordinator.DaemonForMainDatabase();
        var running = daemon.CurrentAgents().Where(a => a.Name.Name == name && a.Status == JasperFx.AgentStatus.Running)
            .Select(a => a.Name).ToList();
        await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), ct);
        foreach (var shard in running) await daemon.StartAgentAsync(shard, ct);
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
        return new RebuildResult(name, Math.Round(started.Elapsed.TotalSeconds, 3), statistics.EventSequenceNumber);
    }
}

using Complaints.Api.ApiReference;
using Complaints.Api.Analytics;
using Complaints.Api.Messaging;
using Wolverine.Http;

namespace Complaints.Api.Operations;

public sealed record QueueDepth(string Queue, long Waiting);

public sealed record MessageCount(string MessageType, long Count);

public sealed record DeadLetterGroup(string MessageType, string? ExceptionType, long Count, DateTimeOffset? LastFailedAt);

/// <summary>What waits and what failed: the queues' depths, timers and deliveries pending, and the dead letters.</summary>
public sealed record MessagingStatus(
    IReadOnlyList<QueueDepth> Queues, IReadOnlyList<MessageCount> Scheduled, IReadOnlyList<MessageCount> Pending,
    IReadOnlyList<DeadLetterGroup> DeadLetters);

public static class MessagingStatusEndpoint
{
    /// <summary>Get the messaging status</summary>
    /// <remarks>
    /// The command and event queues' depths (events waiting for their subscriber), the timers and retries scheduled, the
    /// messages received but not yet handled, and the dead letters by message type and failure, so that a webhook that
    /// keeps failing or a refused command is seen.
    /// </remarks>
    [Authorize(Policy = Policies.Administer)]
    [Tags(Capabilities.Operations)]
    [WolverineGet("/api/admin/messaging", OperationId = "GetMessagingStatus")]
    public static Task<MessagingStatus> Get(AnalyticsDatabase db, IConfiguration configuration, CancellationToken ct) => Read(db, configuration, ct);

    public static async Task<MessagingStatus> Read(AnalyticsDatabase db, IConfiguration configuration, CancellationToken ct)
    {
        var queues = new List<QueueDepth>();
        foreach (var queue in ComplaintMessaging.EventQueues(configuration).Prepend(ComplaintMessaging.CommandQueue))
        {
            var table = $"wolverine_queues.wolverine_queue_{queue.Replace('-', '_').ToLowerInvariant()}";
            var rows = await db.Rows($"select case when to_regclass('{table}') is null then 0 else (select count(*) from {table}) end as waiting", [], ct);
            queues.Add(new QueueDepth(queue, (long)rows.Single()["waiting"]!));
        }

        var envelopes = await db.Rows(
            $"select status, message_type, count(*) as count from {ComplaintStoreOptions.Schema}.wolverine_incoming_envelopes " +
            "where status in ('Scheduled', 'Incoming') group by status, message_type order by message_type", [], ct);
        var deadLetters = await db.Rows(
            $"select message_type, exception_type, count(*) as count, max(failed_at) as last_failed from {ComplaintStoreOptions.Schema}.wolverine_dead_letters " +
            "where archived_at is null group by message_type, exception_type order by count(*) desc", [], ct);
        return new MessagingStatus(
            queues,
            envelopes.Where(e => (string)e["status"]! == "Scheduled").Select(e => new MessageCount((string)e["message_type"]!, (long)e["count"]!)).ToList(),
            envelopes.Where(e => (string)e["status"]! == "Incoming").Select(e => new MessageCount((string)e["message_type"]!, (long)e["count"]!)).ToList(),
            deadLetters.Select(d => new DeadLetterGroup((string)d["message_type"]!, (string?)d["exception_type"], (long)d["count"]!,
                d["last_failed"] is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : null)).ToList());
    }
}

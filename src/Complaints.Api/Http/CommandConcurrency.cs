using System.Threading.RateLimiting;

namespace Complaints.Api.Http;

/// <summary>
/// Bounds how many commands work on the database at once (Complaints:Http:MaxConcurrentCommands, 32 by default): the
/// rest wait their turn, instead of each taking a connection of its own until the server has none left (PostgreSQL's
/// max_connections is shared by the API's pool, Wolverine and everyone else). Reads are not held back. The waiting is
/// fair between callers: each has a queue of its own (at most Complaints:Http:QueuedCommandsPerCaller, 100 by default),
/// and a freed place goes to each caller with commands waiting in turn, so that one caller's burst does not stand
/// before everyone else's commands; Complaints:Http:QueuedCommands (100 000) bounds the queues together.
/// </summary>
public static class CommandConcurrency
{
    public const int DefaultMaxConcurrentCommands = 32;
    public const int DefaultQueuedCommandsPerCaller = 100;
    public const int DefaultQueuedCommands = 100_000;

    /// <summary>
    /// A caller past its own queue is refused with a Retry-After of a second (a 429); a command refused because the queues
    /// together are full has no Retry-After of its own (a 503: the service is busy, not the caller at fault).
    /// </summary>
    public static PartitionedRateLimiter<HttpContext> Limiter(IConfiguration configuration) =>
        new FairConcurrencyLimiter<HttpContext>(
            http => CallerRateLimits.IsCommand(http.Request) ? CallerRateLimits.Caller(http) : null,
            new FairConcurrencyOptions(
                PermitLimit: Math.Max(1, configuration.GetValue("Complaints:Http:MaxConcurrentCommands", DefaultMaxConcurrentCommands)),
                QueueLimitPerCaller: Math.Max(0, configuration.GetValue("Complaints:Http:QueuedCommandsPerCaller", DefaultQueuedCommandsPerCaller)),
                QueueLimit: Math.Max(0, configuration.GetValue("Complaints:Http:QueuedCommands", DefaultQueuedCommands)),
                RetryAfter: TimeSpan.FromSeconds(1)));
}

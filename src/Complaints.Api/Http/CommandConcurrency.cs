using System.Threading.RateLimiting;

namespace Complaints.Api.Http;

/// <summary>
/// Bounds how many commands work on the database at once (Complaints:Http:MaxConcurrentCommands, 32 by default): the
/// rest wait their turn in order, instead of each taking a connection of its own until the server has none left
/// (PostgreSQL's max_connections is shared by the API's pool, Wolverine and everyone else). Reads are not held back.
/// </summary>
public static class CommandConcurrency
{
    public const int DefaultMaxConcurrentCommands = 32;
    private const string Commands = "commands";

    /// <summary>One limiter for every command; a request it refuses (its queue full) has no Retry-After of its own.</summary>
    public static PartitionedRateLimiter<HttpContext> Limiter(IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue("Complaints:Http:MaxConcurrentCommands", DefaultMaxConcurrentCommands));
        return PartitionedRateLimiter.Create<HttpContext, string>(http =>
            !CallerRateLimits.IsCommand(http.Request)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetConcurrencyLimiter(Commands, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = permits,
                    QueueLimit = 100_000,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
    }
}

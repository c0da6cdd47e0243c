using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

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

    public static IServiceCollection AddCommandConcurrencyLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        // Configured when the options are first needed, so that the setting given to a host under test counts.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var permits = Math.Max(1, configuration.GetValue("Complaints:Http:MaxConcurrentCommands", DefaultMaxConcurrentCommands));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                !HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api/complaints")
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetConcurrencyLimiter(Commands, _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = permits,
                        QueueLimit = 100_000,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    }));
        });
        return services;
    }
}

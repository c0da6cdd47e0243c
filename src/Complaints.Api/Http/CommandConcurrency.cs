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
        services.AddRateLimiter(options => options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api/complaints"))
                return RateLimitPartition.GetNoLimiter("");
            var permits = http.RequestServices.GetRequiredService<IConfiguration>()
                .GetValue("Complaints:Http:MaxConcurrentCommands", DefaultMaxConcurrentCommands);
            return RateLimitPartition.GetConcurrencyLimiter(Commands, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = Math.Max(1, permits),
                QueueLimit = 100_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }));
        return services;
    }
}

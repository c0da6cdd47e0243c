using System.Net;
using System.Threading.RateLimiting;
using Complaints.Api.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Complaints.Api.Http;

/// <summary>How many requests of one kind a caller may make in a window; a PermitLimit of 0 sets no limit.</summary>
public sealed class CallerLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Complaints:RateLimits: the commands and the reads each caller may give per window, and the cases whose complainant's
/// identity it may be shown (see Complaints.IdentityReads). The defaults are far above what a person or a well-behaved
/// service asks for: they stop one caller from taking the API, or every complainant's identity, for itself.
/// </summary>
public sealed class CallerRateLimits
{
    public CallerLimit Commands { get; set; } = new() { PermitLimit = 1_200, WindowSeconds = 60 };
    public CallerLimit Reads { get; set; } = new() { PermitLimit = 6_000, WindowSeconds = 60 };
    public CallerLimit IdentityReads { get; set; } = new() { PermitLimit = 500, WindowSeconds = 3_600 };

    /// <summary>A command: a POST on the complaints, over HTTP (the queue's commands are paced by the queue).</summary>
    public static bool IsCommand(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/complaints");

    public static bool IsRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/api");

    /// <summary>The caller: the token's subject, or, for a request without one, the client's address.</summary>
    public static string Caller(HttpContext http) =>
        (http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(TokenSettings.UserClaim)?.Value ?? http.User.Identity.Name : null) is { } user
            ? "user:" + user
            : "address:" + (http.Connection.RemoteIpAddress ?? IPAddress.None);

    /// <summary>A fixed window per caller for its commands, and another for its reads.</summary>
    public PartitionedRateLimiter<HttpContext> Limiter() => PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        var (kind, limit) = IsCommand(http.Request) ? ("commands", Commands) : IsRead(http.Request) ? ("reads", Reads) : ("", null);
        if (limit is not { PermitLimit: > 0 }) return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetFixedWindowLimiter($"{kind} {Caller(http)}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
            QueueLimit = 0,
        });
    });
}

public static class RateLimits
{
    /// <summary>
    /// Every request passes each caller's limits, then the commands' concurrency bound; the complainant's lookup has a
    /// limit per address of its own (Tracking). A refusal by a limit is a 429 problem with Retry-After, the time left in
    /// the caller's window; a command refused because too many wait already is a 503, to retry shortly.
    /// </summary>
    public static IServiceCollection AddComplaintRateLimits(this IServiceCollection services)
    {
        services.AddOptions<CallerRateLimits>().BindConfiguration("Complaints:RateLimits");
        services.AddRateLimiter(_ => { });
        // Configured when the options are first needed, so that the settings given to a host under test count.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration, IOptions<CallerRateLimits>>((options, configuration, callers) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(callers.Value.Limiter(), CommandConcurrency.Limiter(configuration));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => Refuse(context.HttpContext, context.Lease, callers.Value);
        });
        return services;
    }

    private static async ValueTask Refuse(HttpContext http, RateLimitLease lease, CallerRateLimits callers)
    {
        ProblemDetails problem;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds.ToString();
            problem = http.Request.Path.StartsWithSegments("/api/track")
                ? new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many lookups",
                    Detail = "This address has looked up complaints too often; try again later.",
                }
                : lease.TryGetMetadata(MetadataName.ReasonPhrase, out var queueFull)
                    ? new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "Too many commands waiting", Detail = queueFull }
                : CallerRateLimits.IsCommand(http.Request)
                    ? TooMany("commands", callers.Commands, seconds)
                    : TooMany("reads", callers.Reads, seconds);
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "1";
            problem = ProblemDetailsForExceptions.TooBusy();
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
        });
    }

    private static ProblemDetails TooMany(string kind, CallerLimit limit, int retryAfterSeconds) => new()
    {
        Status = StatusCodes.Status429TooManyRequests,
        Title = $"Too many {kind}",
        Detail = $"This caller may make {limit.PermitLimit} {kind} every {limit.WindowSeconds} seconds; retry in {retryAfterSeconds} seconds.",
    };
}

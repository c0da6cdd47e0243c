using System.Threading.RateLimiting;
using Complaints.Api.ApiReference;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Complaints.Api.Tracking;

/// <summary>What a complainant may learn about their complaint: where it stands and what they were told. Nothing else.</summary>
public sealed record TrackedComplaint(
    string TrackingNumber, ComplaintStatus Status, CloseReason? CloseReason, DateTimeOffset ReceivedAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, string? PublicReply);

/// <summary>How often one client may look a complaint up, and how many wrong codes a number takes before it backs off (Complaints:Tracking).</summary>
public sealed class TrackingLimits
{
    public int PermitLimit { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;
    public int FailuresBeforeBackoff { get; set; } = 5;
}

/// <summary>What the complainant gives besides the tracking number: the access code they were given with it.</summary>
/// <param name="Code">The access code given with the tracking number, such as <c>7KQ4-M2XD-9PWA-H3TZ</c>; case, spaces and hyphens do not matter.</param>
[RequestBody]
public sealed record TrackComplaint(string? Code);

public static class TrackComplaintEndpoint
{
    public const string RateLimitPolicy = "complainant-tracking";

    /// <summary>POST /api/track/{trackingNumber}: anonymous, and limited per client address and per tracking number.</summary>
    public static IEndpointRouteBuilder MapComplainantTracking(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/track/{trackingNumber}", Post)
            .WithName("TrackComplaint")
            .WithSummary("Track a complaint")
            .WithDescription(
                "The complainant's own status lookup, without an account: the tracking number and the access code they were " +
                "given with it when the complaint was received (or a new one the office issued since). The code travels in the " +
                "body, so that no address bar, proxy log or browser history keeps it. An unknown number, a case without a code " +
                "and a wrong code get the same 404; lookups are rate limited per client, and wrong codes back off per tracking number.");
        return app;
    }

    /// <param name="trackingNumber">The tracking number the complainant was given.</param>
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags(Capabilities.Tracking)]
    [ProducesResponseType<TrackedComplaint>(StatusCodes.Status200OK)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "No code was given, or the body cannot be read.")]
    [ProblemAnswer(StatusCodes.Status404NotFound, "No complaint matches this tracking number and code.")]
    [ProblemAnswer(StatusCodes.Status429TooManyRequests,
        "This client has looked up complaints too often, or this number was given wrong codes too often; try again after `Retry-After` seconds.")]
    [SendsHeader(StatusCodes.Status429TooManyRequests, ApiHeaders.RetryAfter)]
    public static async Task<IResult> Post(string trackingNumber, TrackComplaint lookup, IQuerySession session, TrackingFailures failures,
        IOptions<TrackingLimits> limits, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(lookup.Code))
            throw new BadRequest("code is required: the access code given with the tracking number.");
        var number = trackingNumber.Trim().ToUpperInvariant();
        if (failures.BackingOff(number, limits.Value.FailuresBeforeBackoff) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong codes for this number",
                detail: "This tracking number was looked up with wrong codes too often; try again after Retry-After seconds.");
        }
        var complaint = number.Length is > 0 and <= 50
            ? await session.Query<ComplaintDetails>().Where(c => c.TrackingNumber == number).FirstOrDefaultAsync(ct)
            : null;
        // An unknown number and a case without a code are compared too, so that each answer takes as long as a wrong code.
        if (!AccessCodes.Matches(complaint?.Case.AccessCodeHash, lookup.Code) || complaint is null)
        {
            failures.Failed(number);
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such complaint",
                detail: "No complaint matches this tracking number and code.");
        }
        failures.Succeeded(number);
        return Results.Ok(new TrackedComplaint(complaint.TrackingNumber, complaint.Status, complaint.CloseReason, complaint.ReceivedAt,
            complaint.ResolvedAt, complaint.ClosedAt, complaint.PublicReply));
    }

    /// <summary>A fixed window per client address; a refusal is a 429 problem with Retry-After (see Http/RateLimits).</summary>
    public static IServiceCollection AddComplainantTrackingRateLimit(this IServiceCollection services)
    {
        services.AddOptions<TrackingLimits>().BindConfiguration("Complaints:Tracking");
        services.AddSingleton<TrackingFailures>();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimitPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<TrackingLimits>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(TrackingClient.Bucket(http.Connection.RemoteIpAddress),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.PermitLimit,
                        Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                        QueueLimit = 0,
                    });
            });
        });
        return services;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Complaints.Api.ApiReference;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Wolverine.Http;

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

public static class TrackComplaintEndpoint
{
    public const string RateLimitPolicy = "complainant-tracking";

    /// <summary>Track a complaint</summary>
    /// <remarks>
    /// The complainant's own status lookup, without an account: the tracking number and a code only they know — the
    /// last four digits of the phone they gave, or, when they gave no phone, their email address's part before the @.
    /// An unknown number and a wrong code get the same 404; lookups are rate limited per client, and wrong codes back off
    /// per tracking number.
    /// </remarks>
    /// <param name="trackingNumber">The tracking number the complainant was given.</param>
    /// <param name="code">The last four digits of the phone given with the complaint, or the email's part before the @ when no phone was given.</param>
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicy)]
    [Tags(Capabilities.Tracking)]
    [WolverineGet("/api/track/{trackingNumber}", OperationId = "TrackComplaint")]
    [ProducesResponseType<TrackedComplaint>(StatusCodes.Status200OK)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "No code was given.")]
    [ProblemAnswer(StatusCodes.Status404NotFound, "No complaint matches this tracking number and code.")]
    [ProblemAnswer(StatusCodes.Status429TooManyRequests,
        "This client has looked up complaints too often, or this number was given wrong codes too often; try again after `Retry-After` seconds.")]
    [SendsHeader(StatusCodes.Status429TooManyRequests, ApiHeaders.RetryAfter)]
    public static async Task<IResult> Get(string trackingNumber, IQuerySession session, TrackingFailures failures, IOptions<TrackingLimits> limits,
        HttpContext http, CancellationToken ct, [RequiredValue] string? code = null)
    {
        if (string.IsNullOrWhiteSpace(code))
            throw new BadRequest("code is required: the last four digits of the phone given with the complaint, or the email's part before the @ when no phone was given.");
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
        if (complaint is null || !Matches(ExpectedCode(complaint.Complainant), code))
        {
            failures.Failed(number);
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such complaint",
                detail: "No complaint matches this tracking number and code.");
        }
        failures.Succeeded(number);
        return Results.Ok(new TrackedComplaint(complaint.TrackingNumber, complaint.Status, complaint.CloseReason, complaint.ReceivedAt,
            complaint.ResolvedAt, complaint.ClosedAt, complaint.PublicReply));
    }

    /// <summary>The code the complainant knows; null when they gave neither phone nor email (or it was erased).</summary>
    public static string? ExpectedCode(Complainant complainant)
    {
        var digits = new string((complainant.Phone ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > 0) return digits[^Math.Min(4, digits.Length)..];
        var email = complainant.Email?.Trim();
        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 ? email![..at].ToLowerInvariant() : null;
    }

    private static bool Matches(string? expected, string given) =>
        expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given.Trim().ToLowerInvariant()));

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

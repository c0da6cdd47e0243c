using Complaints.Api.Commanding;
using Complaints.Domain;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Complaints.Api.Http;

/// <summary>
/// Turns what a request can get wrong into RFC 9457 problem details: invalid input 400, unknown complaint 404,
/// a role that may not give the command on this complaint 403, a state that refuses the command 409, a stale If-Match 412, an Idempotency-Key reused for another request 422, a
/// body in a charset other than UTF-8 415, a database out of connections 503 (with Retry-After).
/// Anything else stays a 500 and is logged as an error, with its stack trace.
/// </summary>
/// <remarks>
/// A refusal is the client's error, not the server's: it is logged here once, at Debug, with what was wrong and no
/// stack trace, so that bad input cannot fill the log (the exception handler middleware records nothing for an
/// exception a handler took, see Program).
/// </remarks>
public sealed class ProblemDetailsForExceptions(IProblemDetailsService problems, ILogger<ProblemDetailsForExceptions> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = ToProblem(http, exception);
        if (problem is null) return false;

        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("{Method} {Path} refused with {Status}: {Reason}", http.Request.Method, Clip(http.Request.Path.Value),
                problem.Status, Clip($"{exception.GetType().Name}: {exception.Message}"));
        http.Response.StatusCode = problem.Status!.Value;
        if (problem.Status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
            http.Response.Headers.RetryAfter = exception is TooManyRequests tooMany ? TooManyRequests.Seconds(tooMany.RetryAfter).ToString() : "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>What a refusal's log line repeats of the request is bounded: the request may be made to be long.</summary>
    private static string Clip(string? text) => text is { Length: > 200 } ? text[..200] + "…" : text ?? "";

    private static ProblemDetails? ToProblem(HttpContext http, Exception exception) => exception switch
    {
        ComplaintCommandInvalid invalid => new HttpValidationProblemDetails(invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The command is not valid",
            Detail = invalid.Message,
        },
        ComplaintCommandRefused refused => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The complaint's state does not allow this command",
            Detail = refused.Message,
            Extensions = { ["rule"] = refused.Rule, ["action"] = refused.Action },
        },
        ComplaintCommandForbidden forbidden => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Your role does not allow this command on this complaint",
            Detail = forbidden.Message,
            Extensions = { ["rule"] = forbidden.Rule, ["action"] = forbidden.Action },
        },
        ComplaintNotFound missing => new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = "No such complaint",
            Detail = missing.Message,
        },
        IdempotencyKeyReused reused => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The Idempotency-Key was used for a different request",
            Detail = reused.Message,
        },
        BadRequest bad => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Detail = bad.Message },
        Analytics.TooManyComputations busy => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many analytics questions under way",
            Detail = busy.Message,
        },
        TooManyRequests tooMany => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = tooMany.Title,
            Detail = tooMany.Message,
        },
        ServiceTooBusy busy => TooBusy(busy.Message),
        StaleVersion stale => new ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "The complaint has changed since that version",
            Detail = stale.Message,
            Extensions = { ["currentVersion"] = stale.Current },
        },
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException when http.Request.Headers.IfMatch.Count > 0 => new ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "The complaint has changed since that version",
            Detail = $"If-Match named version {http.Request.Headers.IfMatch}, which is no longer the current one; fetch the complaint again and retry.",
        },
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Another change to this complaint happened at the same time",
            Detail = "Retry the command.",
        },
        _ when StoreErrors.IsUnavailable(exception) => TooBusy(),
        // A body that is not the command's JSON: the reader says what is wrong with it (a name not in an enum, say).
        BadHttpRequestException { InnerException: System.Text.Json.JsonException json } badBody => new ProblemDetails
        {
            Status = badBody.StatusCode,
            Title = "Bad request",
            Detail = json.Message,
        },
        BadHttpRequestException badRequest => new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode == StatusCodes.Status400BadRequest ? "Bad request" : ReasonPhrases.GetReasonPhrase(badRequest.StatusCode),
            Detail = badRequest.Message,
        },
        _ => null,
    };

    /// <summary>The answer when the service cannot take a command now (the database or the command queue is full): retry.</summary>
    public static ProblemDetails TooBusy(string detail = "Nothing was recorded; retry shortly.") => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "The service is too busy to take this now",
        Detail = detail,
    };
}

/// <summary>A request the API cannot read (a header in the wrong form, say), as opposed to an invalid command.</summary>
public sealed class BadRequest(string message) : Exception(message);

/// <summary>The caller has spent a budget of its own: 429, to retry after the time given.</summary>
public sealed class TooManyRequests(string title, TimeSpan retryAfter, string message) : Exception(message)
{
    public string Title { get; } = title;
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>A Retry-After in whole seconds, at least one.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

/// <summary>The request cannot be served safely now (what it needs could not be stored): 503, nothing shown or recorded.</summary>
public sealed class ServiceTooBusy(string message, Exception inner) : Exception(message, inner);

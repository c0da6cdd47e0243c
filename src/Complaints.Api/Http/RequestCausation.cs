using System.Diagnostics;

namespace Complaints.Api.Http;

/// <summary>
/// Ties each recorded event to the request that caused it, so that an auditor can follow one piece of work across
/// complaints and services: the correlation id names the whole piece of work (the caller's X-Correlation-Id, else
/// the W3C trace id, else the request's id), the causation id names this very request.
/// </summary>
public static class RequestCausation
{
    public const string CorrelationHeader = "X-Correlation-Id";
    public const int MaxLength = 200;

    public static string CorrelationId(HttpContext http)
    {
        var given = http.Request.Headers[CorrelationHeader].ToString().Trim();
        if (given.Length > MaxLength) throw new BadRequest($"The {CorrelationHeader} header is longer than {MaxLength} characters.");
        // It is echoed in the answer's headers, which the server writes in printable ASCII only.
        if (given.Any(c => c is < ' ' or > '~'))
            throw new BadRequest($"The {CorrelationHeader} header must be printable ASCII (letters, digits, punctuation and spaces).");
        if (given.Length > 0) return given;
        return Activity.Current is { TraceId: var trace } && trace != default ? trace.ToHexString() : http.TraceIdentifier;
    }

    /// <summary>The correlation id, or none when the header given is not one (for a record of a request not refused for it).</summary>
    public static string? CorrelationIdIfValid(HttpContext http)
    {
        try
        {
            return CorrelationId(http);
        }
        catch (BadRequest)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Complaints.Api.Http;

/// <summary>
/// Problem details also for a client whose Accept header leaves JSON out (text/html, application/xml): the default
/// writer declines those, and the error would go out as a bare status or as plain text, saying nothing of what was
/// wrong. Registered after the default writer, it writes only what that one declines.
/// </summary>
public sealed class ProblemDetailsWhateverTheAccept : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json"));
    }
}

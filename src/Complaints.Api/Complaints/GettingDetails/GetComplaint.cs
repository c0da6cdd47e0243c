using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GettingDetails;

public static class GetComplaintEndpoint
{
    /// <summary>
    /// The case as a case worker sees it, with its version as the ETag; <c>?version=N</c> or <c>?at=time</c> gives the case
    /// exactly as it was then (see <see cref="ComplaintAsItWas"/>).
    /// </summary>
    [Authorize(Policy = Policies.ReadCase)]
    [WolverineGet("/api/complaints/{id}")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, HttpContext http, IQuerySession session, string? version = null, string? at = null)
    {
        ComplaintDetails details;
        if (version is null && at is null)
            details = await session.LoadAsync<ComplaintDetails>(id, http.RequestAborted) ?? throw new ComplaintNotFound(id);
        else
        {
            var (then, problem) = await ComplaintAsItWas.Load(session, id, version, at, http.RequestAborted);
            if (problem is not null) return problem;
            details = then!;
        }
        if (http.Request.Headers.IfNoneMatch.ToString() == ComplaintHttp.ETag(details.Version))
        {
            http.Response.Headers.ETag = ComplaintHttp.ETag(details.Version);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return ComplaintHttp.Details(http, details);
    }
}

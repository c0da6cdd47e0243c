using Complaints.Api.ApiReference;
using Complaints.Domain;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GettingDetails;

public static class GetComplaintEndpoint
{
    /// <summary>Get a complaint</summary>
    /// <remarks>
    /// The case as a case worker sees it, with its version as the `ETag`; `?version=N` or `?at=time` gives the case
    /// exactly as it was then, folded from the events recorded up to that version or moment.
    /// </remarks>
    /// <param name="id">The complaint's id.</param>
    /// <param name="version">The case as it was after this version (1 = just received).</param>
    /// <param name="at">The case as the system showed it at this moment (ISO 8601), by when its events were recorded.</param>
    [Authorize(Policy = Policies.ReadCase)]
    [Tags(Capabilities.Complaints)]
    [WolverineGet("/api/complaints/{id}", OperationId = "GetComplaint")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ReadsHeader(ApiHeaders.IfNoneMatch)]
    [SendsHeader(StatusCodes.Status200OK, ApiHeaders.ETag)]
    [SendsHeader(StatusCodes.Status304NotModified, ApiHeaders.ETag)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "`version` or `at` cannot be read, or both are given.")]
    [ProblemAnswer(StatusCodes.Status404NotFound, "There is no complaint with this id, or it had no such version or was not yet recorded then.")]
    [ProblemAnswer(StatusCodes.Status429TooManyRequests, IdentityReads.Refusal)]
    public static async Task<IResult> Get(Guid id, HttpContext http, IQuerySession session, IdentityReads identities,
        [ReadAs(typeof(long))] string? version = null, string? at = null)
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
        if (details.Complainant != Complainant.Erased) await identities.Admit(http, [details.Id]);
        return ComplaintHttp.Details(http, details);
    }
}

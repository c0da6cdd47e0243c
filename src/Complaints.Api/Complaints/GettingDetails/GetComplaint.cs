using Complaints.Api.Http;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GettingDetails;

public static class GetComplaintEndpoint
{
    /// <summary>The case as a case worker sees it, with its version as the ETag.</summary>
    [WolverineGet("/api/complaints/{id}")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid id, HttpContext http, IQuerySession session)
    {
        var details = await session.LoadAsync<ComplaintDetails>(id, http.RequestAborted) ?? throw new ComplaintNotFound(id);
        if (http.Request.Headers.IfNoneMatch.ToString() == ComplaintHttp.ETag(details.Version))
        {
            http.Response.Headers.ETag = ComplaintHttp.ETag(details.Version);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return ComplaintHttp.Details(http, details);
    }
}

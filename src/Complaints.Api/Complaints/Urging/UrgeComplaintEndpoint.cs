using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Urging;

public static class UrgeComplaintEndpoint
{
    /// <summary>A supervisor urges an open case on (督办), typically one the overdue filter shows.</summary>
    [Authorize(Policy = Policies.Supervise)]
    [WolverinePost("/api/complaints/{id}/urge")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, UrgeComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

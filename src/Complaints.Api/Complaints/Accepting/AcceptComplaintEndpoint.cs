using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Accepting;

public static class AcceptComplaintEndpoint
{
    /// <summary>Accepts a received complaint for handling.</summary>
    [Authorize(Policy = Policies.Dispatch)]
    [WolverinePost("/api/complaints/{id}/accept")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, AcceptComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

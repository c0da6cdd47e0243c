using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Returning;

public static class ReturnComplaintEndpoint
{
    /// <summary>The department returns a case that is not theirs (退单); it waits to be reassigned.</summary>
    [Authorize(Policy = Policies.Investigate)]
    [WolverinePost("/api/complaints/{id}/return")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, ReturnComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

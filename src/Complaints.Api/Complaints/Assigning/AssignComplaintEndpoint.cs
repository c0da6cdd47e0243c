using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Assigning;

public static class AssignComplaintEndpoint
{
    /// <summary>Assigns (or reassigns) the case to a department and handler, with a due date; the routing table picks the department when none is given.</summary>
    [Authorize(Policy = Policies.Dispatch)]
    [WolverinePost("/api/complaints/{id}/assign")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, AssignComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

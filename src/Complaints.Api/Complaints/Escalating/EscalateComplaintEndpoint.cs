using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Escalating;

public static class EscalateComplaintEndpoint
{
    /// <summary>Reports a hard case to management.</summary>
    [Authorize(Policy = Policies.Escalate)]
    [WolverinePost("/api/complaints/{id}/escalate")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, EscalateComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

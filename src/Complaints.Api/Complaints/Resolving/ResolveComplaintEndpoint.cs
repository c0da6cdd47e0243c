using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Resolving;

public static class ResolveComplaintEndpoint
{
    /// <summary>Records the remedy carried out and the reply given to the complainant.</summary>
    [Authorize(Policy = Policies.Resolve)]
    [WolverinePost("/api/complaints/{id}/resolve")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, ResolveComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

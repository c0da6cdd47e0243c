using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Extending;

public static class ExtendResolutionDueEndpoint
{
    /// <summary>Grants more time: moves the resolution due date later.</summary>
    [Authorize(Policy = Policies.Dispatch)]
    [WolverinePost("/api/complaints/{id}/extend")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, ExtendResolutionDue command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

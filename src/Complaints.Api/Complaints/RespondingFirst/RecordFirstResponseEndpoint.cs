using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.RespondingFirst;

public static class RecordFirstResponseEndpoint
{
    /// <summary>The handler reached the site or the complainant.</summary>
    [Authorize(Policy = Policies.Investigate)]
    [WolverinePost("/api/complaints/{id}/first-response")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordFirstResponse command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Mediating;

public static class RecordSettlementEndpoint
{
    /// <summary>Records that the parties settled by themselves.</summary>
    [Authorize(Policy = Policies.Mediate)]
    [WolverinePost("/api/complaints/{id}/settlement")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordSettlement command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

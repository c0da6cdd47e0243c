using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.GivingExpectedDate;

public static class GiveExpectedDateEndpoint
{
    /// <summary>Tells the complainant when to expect a resolution.</summary>
    [Authorize(Policy = Policies.Escalate)]
    [WolverinePost("/api/complaints/{id}/expected-date")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, GiveExpectedDate command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

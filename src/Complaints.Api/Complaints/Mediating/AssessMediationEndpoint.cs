using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Mediating;

public static class AssessMediationEndpoint
{
    /// <summary>Assesses whether the dispute can be mediated; if eligible, the case enters mediation.</summary>
    [Authorize(Policy = Policies.Mediate)]
    [WolverinePost("/api/complaints/{id}/mediation")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, AssessMediation command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

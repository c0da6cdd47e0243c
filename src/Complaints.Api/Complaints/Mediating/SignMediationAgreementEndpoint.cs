using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Mediating;

public static class SignMediationAgreementEndpoint
{
    /// <summary>Records the mediation agreement signed in triplicate.</summary>
    [Authorize(Policy = Policies.Mediate)]
    [WolverinePost("/api/complaints/{id}/mediation/agreement")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, SignMediationAgreement command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

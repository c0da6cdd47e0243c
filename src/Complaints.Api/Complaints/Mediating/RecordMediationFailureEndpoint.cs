using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Mediating;

public static class RecordMediationFailureEndpoint
{
    /// <summary>Records a failed mediation and the referral to litigation or arbitration; this closes the case.</summary>
    [Authorize(Policy = Policies.Mediate)]
    [WolverinePost("/api/complaints/{id}/mediation/failure")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordMediationFailure command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

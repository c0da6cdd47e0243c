using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Closing;

public static class CloseComplaintEndpoint
{
    /// <summary>Closes the case as Referred, NoResponse or AgreementPerformed.</summary>
    [Authorize(Policy = Policies.Close)]
    [WolverinePost("/api/complaints/{id}/close")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, CloseComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Triaging;

public static class TriageComplaintEndpoint
{
    /// <summary>Sets the category, severity and priority.</summary>
    [Authorize(Policy = Policies.Dispatch)]
    [WolverinePost("/api/complaints/{id}/triage")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, TriageComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

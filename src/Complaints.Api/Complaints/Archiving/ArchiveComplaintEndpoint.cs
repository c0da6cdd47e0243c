using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Archiving;

public static class ArchiveComplaintEndpoint
{
    /// <summary>Archives a closed case.</summary>
    [Authorize(Policy = Policies.Archive)]
    [WolverinePost("/api/complaints/{id}/archive")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, ArchiveComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

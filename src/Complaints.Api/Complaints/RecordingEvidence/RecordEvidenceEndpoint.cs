using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.RecordingEvidence;

public static class RecordEvidenceEndpoint
{
    /// <summary>Records evidence or a party's statement.</summary>
    [Authorize(Policy = Policies.Investigate)]
    [WolverinePost("/api/complaints/{id}/evidence")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordEvidence command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

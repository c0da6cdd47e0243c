using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.RecordingFindings;

public static class RecordFindingsEndpoint
{
    /// <summary>Records whether the complaint is substantiated.</summary>
    [Authorize(Policy = Policies.Investigate)]
    [WolverinePost("/api/complaints/{id}/findings")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordFindings command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.FollowingUp;

public static class RecordFollowUpEndpoint
{
    /// <summary>Records the follow-up visit: closes a satisfied case, opens a re-review or escalates an unsatisfied one, or sends an unperformed fix back for rectification.</summary>
    [Authorize(Policy = Policies.FollowUp)]
    [WolverinePost("/api/complaints/{id}/follow-up")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordFollowUp command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.FollowingUp;

public static class RecordComplainantNotReachedEndpoint
{
    /// <summary>
    /// A follow-up attempt that did not reach the complainant: the follow-up promise is kept, and the case closes as
    /// NoResponse unless the complainant is reached within the reply window.
    /// </summary>
    [Authorize(Policy = Policies.FollowUp)]
    [WolverinePost("/api/complaints/{id}/follow-up/not-reached")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, RecordComplainantNotReached command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

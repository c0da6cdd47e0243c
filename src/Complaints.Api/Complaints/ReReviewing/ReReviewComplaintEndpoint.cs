using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.ReReviewing;

public static class ReReviewComplaintEndpoint
{
    /// <summary>A reviewer revises the plan of a case awaiting re-review.</summary>
    [Authorize(Policy = Policies.ReReview)]
    [WolverinePost("/api/complaints/{id}/re-review")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, ReReviewComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

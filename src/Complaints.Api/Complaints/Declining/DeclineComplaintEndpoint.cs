using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Declining;

public static class DeclineComplaintEndpoint
{
    /// <summary>Declines a complaint (out of scope or not eligible), with the explanation given to the complainant; this closes it.</summary>
    [Authorize(Policy = Policies.Dispatch)]
    [WolverinePost("/api/complaints/{id}/decline")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, DeclineComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Withdrawing;

public static class WithdrawComplaintEndpoint
{
    /// <summary>The complainant withdraws the complaint; this closes it.</summary>
    [Authorize(Policy = Policies.Withdraw)]
    [WolverinePost("/api/complaints/{id}/withdraw")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid id, WithdrawComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus,
        ComplaintCommandHandling handling) =>
        handling.Execute(id, command, http, session, bus);
}

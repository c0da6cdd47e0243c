using Complaints.Api.ApiReference;
using Complaints.Api.Auditing;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Wolverine.Http;

namespace Complaints.Api.Complaints.VerifyingHistory;

public static class VerifyComplaintHistoryEndpoint
{
    /// <summary>Verify a complaint's hash chain</summary>
    /// <remarks>
    /// Recomputes the complaint's hash chain from its stored events: valid, how many events, and the first event that
    /// does not match its seal (version, sequence, expected and stored hash). For auditors.
    /// </remarks>
    /// <param name="id">The complaint's id.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [Tags(Capabilities.Audit)]
    [WolverineGet("/api/complaints/{id}/verify", OperationId = "VerifyComplaintHistory")]
    [ProducesResponseType<ChainVerification>(StatusCodes.Status200OK)]
    [ProblemAnswer(StatusCodes.Status404NotFound, "There is no complaint with this id.")]
    public static async Task<ChainVerification> Get(Guid id, EventChain chain, CancellationToken ct) =>
        await chain.Verify(id, ct) ?? throw new ComplaintNotFound(id);
}

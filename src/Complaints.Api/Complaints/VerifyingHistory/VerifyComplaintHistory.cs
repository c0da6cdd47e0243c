using Complaints.Api.Commanding;
using Complaints.Api.Auditing;
using Complaints.Api.Http;
using Wolverine.Http;

namespace Complaints.Api.Complaints.VerifyingHistory;

public static class VerifyComplaintHistoryEndpoint
{
    /// <summary>
    /// Recomputes the complaint's hash chain from its stored events: valid, how many events, and the first event that
    /// does not match its seal (version, sequence, expected and stored hash). For auditors.
    /// </summary>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/complaints/{id}/verify")]
    [ProducesResponseType<ChainVerification>(StatusCodes.Status200OK)]
    public static async Task<ChainVerification> Get(Guid id, EventChain chain, CancellationToken ct) =>
        await chain.Verify(id, ct) ?? throw new ComplaintNotFound(id);
}

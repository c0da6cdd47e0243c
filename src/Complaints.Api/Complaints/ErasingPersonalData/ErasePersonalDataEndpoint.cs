using Complaints.Api.Auditing;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.Complaints.ErasingPersonalData;

public static class ErasePersonalDataEndpoint
{
    /// <summary>
    /// Lawful erasure of the complainant's identity and contact. The request is recorded as an event with its legal
    /// basis (versioned and audited like any command); the complainant is then masked in every stored event of the
    /// case and in its details, while the history keeps every step and the analytics, which never held the identity,
    /// keep every figure. Admins only, under the ErasePersonalData policy once identity is wired.
    /// </summary>
    [Authorize(Policy = Policies.ErasePersonalData)]
    [WolverinePost("/api/complaints/{id}/erase-personal-data")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(Guid id, ErasePersonalData command, HttpContext http, IDocumentSession session,
        ComplaintCommandHandling handling, EventChain chain)
    {
        ComplaintHttp.RequireBody(command);
        var ct = http.RequestAborted;
        // Masking rewrites sealed events and re-seals what it changed: refuse to do so over a history already tampered
        // with, which the erasure would otherwise hide.
        var before = await chain.Verify(id, ct) ?? throw new ComplaintNotFound(id);
        if (before.FirstMismatch is { } mismatch)
            throw new ComplaintCommandRefused(command.Action(), "history-fails-verification",
                $"cannot {command.Action()}: the history fails verification at version {mismatch.Version} ({mismatch.Reason}); " +
                "investigate that first, since masking would hide it");

        var answer = await handling.Execute(id, command, http, session);
        await session.DocumentStore.Advanced.ApplyEventDataMasking(masking => masking.IncludeStream(id), ct);
        await chain.RecordRedactions(id, ct);
        return answer;
    }
}

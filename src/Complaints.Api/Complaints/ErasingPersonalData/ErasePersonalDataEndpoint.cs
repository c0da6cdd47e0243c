using Complaints.Api.Auditing;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.ErasingPersonalData;

/// <summary>
/// Lawful erasure of the complainant's identity and contact. The request is recorded as an event with its legal basis
/// (versioned and audited like any command); the complainant is then masked in every stored event of the case and in
/// its details, while the history keeps every step and the analytics, which never held the identity, keep every figure.
/// </summary>
public sealed class PersonalDataErasure(ComplaintCommands commands, EventChain chain)
{
    public async Task<CommandOutcome> Erase(Guid id, ErasePersonalData command, CommandOrigin origin, long? expectedVersion,
        IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        // Masking rewrites sealed events and re-seals what it changed: refuse to do so over a history already tampered
        // with, which the erasure would otherwise hide.
        var before = await chain.Verify(id, ct) ?? throw new ComplaintNotFound(id);
        if (before.FirstMismatch is { } mismatch)
            throw new ComplaintCommandRefused(command.Action(), "history-fails-verification",
                $"cannot {command.Action()}: the history fails verification at version {mismatch.Version} ({mismatch.Reason}); " +
                "investigate that first, since masking would hide it");

        var outcome = await commands.Execute(id, command, origin, expectedVersion, session, bus, ct);
        // Masking again after a repeat changes nothing, and finishes an erasure that was interrupted after its event.
        await session.DocumentStore.Advanced.ApplyEventDataMasking(masking => masking.IncludeStream(id), ct);
        await chain.RecordRedactions(id, ct);
        return outcome;
    }
}

public static class ErasePersonalDataEndpoint
{
    [Authorize(Policy = Policies.ErasePersonalData)]
    [WolverinePost("/api/complaints/{id}/erase-personal-data")]
    [ProducesResponseType<ComplaintDetails>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(Guid id, ErasePersonalData command, HttpContext http, IDocumentSession session, IMessageBus bus,
        PersonalDataErasure erasure)
    {
        ComplaintHttp.RequireBody(command);
        var origin = ComplaintCommandHandling.Origin(http, command.Action(), id, command);
        var outcome = await erasure.Erase(id, command, origin, ComplaintHttp.ExpectedVersion(http.Request), session, bus, http.RequestAborted);
        // Read afresh: the masking happened outside this session.
        await using var fresh = session.DocumentStore.QuerySession();
        return ComplaintHttp.Details(http, await ComplaintCommandHandling.DetailsAfter(fresh, outcome, http));
    }
}

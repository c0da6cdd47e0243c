using Complaints.Api.Auditing;
using Complaints.Domain;
using Marten;

namespace Complaints.Api.Confidentiality;

/// <summary>
/// Lawful erasure of the complainant's identity and contact, around the command that records it: before, the history
/// must verify (masking re-seals what it changes, and would hide a tampering); after, the complainant is masked in every
/// stored event of the case, while the history keeps every step and the analytics, which never held the identity, keep
/// every figure.
/// </summary>
public sealed class PersonalDataErasure(EventChain chain)
{
    /// <returns>False when there is no such complaint.</returns>
    public async Task<bool> Check(Guid id, ErasePersonalData command, CancellationToken ct)
    {
        if (await chain.Verify(id, ct) is not { } before) return false;
        if (before.FirstMismatch is { } mismatch)
            throw new ComplaintCommandRefused(command.Action(), "history-fails-verification",
                $"cannot {command.Action()}: the history fails verification at version {mismatch.Version} ({mismatch.Reason}); " +
                "investigate that first, since masking would hide it");
        return true;
    }

    /// <summary>Masks the case's events. Masking again after a repeat changes nothing, and finishes an erasure interrupted after its event.</summary>
    public async Task Mask(Guid id, IDocumentStore store, CancellationToken ct)
    {
        await store.Advanced.ApplyEventDataMasking(masking => masking.IncludeStream(id), ct);
        await chain.RecordRedactions(id, ct);
    }
}

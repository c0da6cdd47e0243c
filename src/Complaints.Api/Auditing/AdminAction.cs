using Marten;

namespace Complaints.Api.Auditing;

/// <summary>
/// What an administrator did outside any case's history: a dead letter replayed or discarded, a projection rebuilt, a
/// token minted with the configured key; and every read that showed complainants' identities (Complaints.IdentityReads).
/// Kept as documents, never changed, read by auditors and admins.
/// </summary>
public sealed record AdminAction(Guid Id, DateTimeOffset At, string By, string Action, string Details, int Status, string? CorrelationId);

public static class AdminActionLog
{
    public static async Task Record(IDocumentStore store, string by, string action, string details, int status, string? correlationId,
        TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Insert(new AdminAction(Guid.CreateVersion7(), clock.GetUtcNow(), by, action, Printable(details), status, correlationId));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>What was sent, as text PostgreSQL keeps in JSON: control characters (a NUL, say) shown as '?'.</summary>
    public static string Printable(string text) => string.Create(text.Length, text, (chars, source) =>
    {
        for (var i = 0; i < source.Length; i++) chars[i] = char.IsControl(source[i]) ? '?' : source[i];
    });
}

using System.Text.Json.Nodes;
using Complaints.Api.Auditing;
using Complaints.Contracts.V1;
using Complaints.Domain;
using Complaints.Projections.Analytics;
using Marten;
using Wolverine.Util;
using ComplaintReceived = Complaints.Domain.ComplaintReceived;

namespace Complaints.Api.Confidentiality;

/// <summary>
/// Lawful erasure of the complainant's personal data, inside the transaction that records it: before, the history must
/// verify (erasing would hide a tampering); then every stored event of the case is rewritten as
/// <see cref="PersonalData"/> erases it, and the commands that carried the data and still wait on the queues, or died
/// there, are removed. The erasure event records what it changed, so the changed events verify through it; the event,
/// the rewriting and the removal are committed together or not at all.
/// </summary>
/// <param name="keys">The keys the analytics count repeat complainants by, the store's own.</param>
public sealed class PersonalDataErasure(EventChain chain, ComplainantKeys keys)
{
    /// <returns>False when there is no such complaint.</returns>
    public async Task<bool> Check(Guid id, ErasePersonalData command, CancellationToken ct)
    {
        if (await chain.Verify(id, ct) is not { } before) return false;
        if (before.FirstMismatch is { } mismatch)
            throw new ComplaintCommandRefused(command.Action(), "history-fails-verification",
                $"cannot {command.Action()}: the history fails verification at version {mismatch.Version} ({mismatch.Reason}); " +
                "investigate that first, since erasing would hide it");
        return true;
    }

    /// <summary>
    /// Erases the case's stored events and waiting commands in the session's transaction (opened by the exclusive fetch),
    /// and returns the erasure event with the record of what it changed.
    /// </summary>
    public async Task<PersonalDataErased> Erase(Guid id, PersonalDataErased erasure, IDocumentSession session, CancellationToken ct)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var redactions = new List<Redaction>();
        foreach (var stored in await session.Events.FetchStreamAsync(id, token: ct))
        {
            if (stored.Data is not IComplaintEvent fact) continue;
            // The contact's one-way key stays with the erased receipt, so that repeat complainants count the same after a rebuild.
            var erased = PersonalData.Erase(fact is ComplaintReceived received
                ? received with { ErasedComplainantKey = received.ErasedComplainantKey ?? keys.For(received.Complainant) }
                : fact);
            if (Equals(erased, fact)) continue;
            var before = JsonNode.Parse(serializer.ToJson(fact))!.AsObject();
            var after = serializer.ToJson(erased);
            var fields = JsonNode.Parse(after)!.AsObject()
                .Where(field => !JsonNode.DeepEquals(field.Value, before[field.Key]))
                .Select(field => field.Key).ToList();
            var dataHash = (await session.AdvancedSql.QueryAsync<string>(
                $"update {schema}.mt_events set data = ?::jsonb where seq_id = ? returning {EventChain.DataHashSql("data")}",
                ct, after, stored.Sequence)).Single();
            redactions.Add(new Redaction(stored.Version, fields, dataHash));
        }
        await RemoveCommands(id, session, ct);
        return erasure with { Redactions = redactions };
    }

    /// <summary>
    /// The commands for this case that wait on the command queue, are being handled or died there: each carries what its
    /// sender gave, the complainant's data included. Promise timers, webhook deliveries and integration events carry none.
    /// </summary>
    private static async Task RemoveCommands(Guid id, IDocumentSession session, CancellationToken ct)
    {
        // Wherever the message store keeps bodies: its dead letters, inbox and outbox, and every PostgreSQL queue.
        var holding = await session.AdvancedSql.QueryAsync<string>(
            """
            select table_schema || '.' || table_name from information_schema.columns
            where table_schema in (?, 'wolverine_queues') and table_name like 'wolverine%' and column_name = 'body' and data_type = 'bytea'
            order by 1
            """, ct, ComplaintStoreOptions.Schema);
        var type = typeof(ComplaintCommandMessage).ToMessageTypeName();
        foreach (var table in holding)
            await session.AdvancedSql.QueryAsync<int>(
                $"""
                with removed as (
                    delete from {table}
                    where message_type = ? and position(convert_to(?, 'UTF8') in body) > 0
                    returning 1)
                select count(*)::int from removed
                """, ct, type, id.ToString());
    }
}

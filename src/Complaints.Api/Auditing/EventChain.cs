using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;

namespace Complaints.Api.Auditing;

/// <summary>The first event of a stream that does not match its seal, and why.</summary>
public sealed record ChainMismatch(long Version, long Sequence, string Reason, string? ExpectedHash, string? StoredHash);

/// <summary>
/// One complaint's history checked against its hash chain. Redacted lists the versions whose personal data was
/// lawfully erased after they were sealed: they verify against the seal of the original, through the erasure event
/// that recorded the hash of what they hold since.
/// </summary>
public sealed record ChainVerification(Guid ComplaintId, bool Valid, int Events, IReadOnlyList<long> Redacted, ChainMismatch? FirstMismatch);

/// <summary>
/// Tamper-evident history. PostgreSQL seals every event as it is appended, whatever wrote it (the API, an importer, a
/// script): a trigger on the events table writes a row into <c>event_hashes</c> whose hash chains the event to the one
/// before it in its stream. Verification recomputes the chain here, in C#, from the stored events alone, so that it
/// does not rely on the database's own functions.
/// <para>
/// data_hash = sha256(data::text), over PostgreSQL's canonical jsonb text; hash = sha256 over the fields previous_hash,
/// stream id, version, type, data_hash, timestamp (UTC, microseconds, yyyy-MM-ddTHH:mm:ss.ffffffZ), user name,
/// correlation id and causation id, each written as its UTF-8 byte length, ':', the field and ';' (an absent field is
/// empty). Hashes are lower-case hex; the previous_hash of version 1 is 64 zeros. Marten's tombstones (placeholders
/// for sequence numbers a failed append used up) belong to no complaint and are not sealed.
/// </para>
/// <para>
/// A lawful erasure rewrites earlier events. Their seals stay those of the originals; the erasure event, sealed in its
/// turn, lists each event it rewrote with the data_hash of the rewritten body. An erased event verifies when its data
/// has the hash the latest erasure listing it recorded: then the original's data_hash stands in its link. Changing an
/// erased event's data breaks it; changing the recorded hash breaks the erasure event's own seal.
/// </para>
/// </summary>
public sealed class EventChain(IDocumentStore store)
{
    public static readonly string Genesis = new('0', 64);
    public const string ErasureEventType = "personal_data_erased";

    /// <summary>Marten's placeholders for sequence numbers a failed append used up: not part of any complaint's history.</summary>
    public const string Tombstone = "tombstone";

    private string Schema => store.Options.Events.DatabaseSchemaName;

    private async Task<NpgsqlConnection> Open(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Creates the table, the functions and the triggers if needed and seals any event appended before they existed.
    /// Idempotent and safe to run from several nodes at once; run after Marten has created the events table.
    /// </summary>
    public async Task Install(CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
        await using var connection = await Open(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(InstallSql(Schema), connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public static string InstallSql(string schema) =>
        $$"""
        select pg_advisory_xact_lock(hashtext('{{schema}}.event_hashes'));

        create table if not exists {{schema}}.event_hashes (
            seq_id             bigint primary key,
            stream_id          uuid not null,
            version            bigint not null,
            data_hash          text not null,
            previous_hash      text not null,
            hash               text not null,
            sealed_at          timestamptz not null default now(),
            -- Written only by erasures recorded before an erasure event listed what it rewrote: those go on verifying as
            -- they did. No erasure writes them now.
            redacted_data_hash text,
            redacted_by_seq    bigint,
            unique (stream_id, version)
        );

        create or replace function {{schema}}.mt_event_chain_link(fields text[]) returns text
        language sql immutable as $fn$
            select encode(sha256(convert_to(string_agg(
                octet_length(convert_to(coalesce(f, ''), 'UTF8'))::text || ':' || coalesce(f, '') || ';', '' order by i), 'UTF8')), 'hex')
            from unnest(fields) with ordinality as t(f, i)
        $fn$;

        -- Seals a stream's unsealed events from a version on, each from the hash of the one before it.
        drop function if exists {{schema}}.mt_seal_event_chain(uuid);
        create or replace function {{schema}}.mt_seal_event_chain(stream uuid, from_version bigint default 1) returns integer
        language plpgsql as $fn$
        declare
            e record;
            previous text;
            content text;
            sealed integer := 0;
        begin
            for e in
                select ev.seq_id, ev.version, ev.type, ev.data::text as body, ev.timestamp, to_jsonb(ev) - 'data' as meta
                from {{schema}}.mt_events ev
                where ev.stream_id = stream and ev.version >= from_version and ev.type <> '{{Tombstone}}'
                  and not exists (select 1 from {{schema}}.event_hashes h where h.seq_id = ev.seq_id)
                order by ev.version
            loop
                previous := null;
                if e.version > 1 then
                    select h.hash into previous from {{schema}}.event_hashes h where h.stream_id = stream and h.version = e.version - 1;
                end if;
                previous := coalesce(previous, '{{Genesis}}');
                content := {{DataHashSql("e.body")}};
                insert into {{schema}}.event_hashes (seq_id, stream_id, version, data_hash, previous_hash, hash)
                values (e.seq_id, stream, e.version, content, previous, {{schema}}.mt_event_chain_link(array[
                    previous, stream::text, e.version::text, e.type::text, content,
                    to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    e.meta ->> 'user_name', e.meta ->> 'correlation_id', e.meta ->> 'causation_id']));
                sealed := sealed + 1;
            end loop;
            return sealed;
        end
        $fn$;

        -- Seals the rows the statement appended, stream by stream, from the first appended version: through the unique
        -- (stream_id, version) index, without reading the rest of the stream. When the event before them has no seal
        -- yet (it was appended before the chain existed), the whole stream is sealed, which gives the same hashes.
        create or replace function {{schema}}.mt_seal_appended_events() returns trigger
        language plpgsql as $fn$
        declare
            s record;
        begin
            for s in
                select a.stream_id, min(a.version) as first
                from appended a
                where a.stream_id is not null and a.type <> '{{Tombstone}}'
                group by a.stream_id order by a.stream_id
            loop
                perform {{schema}}.mt_seal_event_chain(s.stream_id, case
                    when s.first = 1 or exists (select 1 from {{schema}}.event_hashes h where h.stream_id = s.stream_id and h.version = s.first - 1)
                    then s.first else 1 end);
            end loop;
            return null;
        end
        $fn$;

        create or replace trigger mt_events_seal_chain after insert on {{schema}}.mt_events
            referencing new table as appended for each statement execute function {{schema}}.mt_seal_appended_events();

        -- Emptying the whole event store (a test reset) takes the chain with it; deleting single events does not.
        create or replace function {{schema}}.mt_clear_event_chain() returns trigger
        language plpgsql as $fn$
        begin
            truncate {{schema}}.event_hashes;
            return null;
        end
        $fn$;

        create or replace trigger mt_events_clear_chain after truncate on {{schema}}.mt_events
            for each statement execute function {{schema}}.mt_clear_event_chain();

        select {{schema}}.mt_seal_event_chain(unsealed.stream_id)
        from (select distinct ev.stream_id from {{schema}}.mt_events ev
              where ev.stream_id is not null and ev.type <> '{{Tombstone}}'
                and not exists (select 1 from {{schema}}.event_hashes h where h.seq_id = ev.seq_id)) unsealed;
        """;

    /// <summary>The stored hash of each event of a complaint, by sequence number.</summary>
    public async Task<IReadOnlyDictionary<long, string>> Hashes(Guid id, CancellationToken ct)
    {
        await using var connection = await Open(ct);
        await using var command = new NpgsqlCommand($"select seq_id, hash from {Schema}.event_hashes where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var hashes = new Dictionary<long, string>();
        while (await reader.ReadAsync(ct)) hashes[reader.GetInt64(0)] = reader.GetString(1);
        return hashes;
    }

    /// <summary>Checks one complaint's history; null when there is no such complaint.</summary>
    public async Task<ChainVerification?> Verify(Guid id, CancellationToken ct)
    {
        await foreach (var verification in Verifications(id, ct)) return verification;
        return null;
    }

    /// <summary>Checks every stream in the store, one after another, in one consistent snapshot.</summary>
    public IAsyncEnumerable<ChainVerification> VerifyAll(CancellationToken ct) => Verifications(null, ct);

    private async IAsyncEnumerable<ChainVerification> Verifications(Guid? id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var only = id is null ? "" : "and stream_id = @id";
        await using var connection = await Open(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select coalesce(e.stream_id, h.stream_id), coalesce(e.version, h.version), coalesce(e.seq_id, h.seq_id),
                   e.seq_id is not null, h.seq_id is not null,
                   e.type, e.data::text, e.timestamp,
                   e.meta ->> 'user_name', e.meta ->> 'correlation_id', e.meta ->> 'causation_id',
                   h.data_hash, h.hash, erased.data_hash, erased.version,
                   h.redacted_data_hash,
                   r.type = '{ErasureEventType}' and r.stream_id = h.stream_id and r.version > h.version
                       and jsonb_typeof(r.data -> 'redactions') is distinct from 'array'
            from (select ev.*, to_jsonb(ev) - 'data' as meta from {Schema}.mt_events ev where ev.stream_id is not null and ev.type <> '{Tombstone}' {only}) e
            full outer join (select * from {Schema}.event_hashes where true {only}) h on h.seq_id = e.seq_id
            left join lateral (
                select r.version, redaction ->> 'dataHash' as data_hash
                from {Schema}.mt_events r
                cross join jsonb_array_elements(case when jsonb_typeof(r.data -> 'redactions') = 'array' then r.data -> 'redactions' else '[]' end) redaction
                where r.stream_id = e.stream_id and r.type = '{ErasureEventType}' and r.version > e.version
                  and redaction ->> 'version' = e.version::text
                order by r.version desc limit 1) erased on true
            left join {Schema}.mt_events r on r.seq_id = h.redacted_by_seq
            order by 1, 2, 3
            """, connection);
        if (id is not null) command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);

        StreamCheck? current = null;
        while (await reader.ReadAsync(ct))
        {
            var stream = reader.GetGuid(0);
            if (current is not null && current.Stream != stream)
            {
                yield return current.Result();
                current = null;
            }
            current ??= new StreamCheck(stream);
            current.Check(new StoredEvent(
                Version: reader.GetInt64(1),
                Sequence: reader.GetInt64(2),
                Present: reader.GetBoolean(3),
                Sealed: reader.GetBoolean(4),
                Type: reader.IsDBNull(5) ? null : reader.GetString(5),
                Data: reader.IsDBNull(6) ? null : reader.GetString(6),
                RecordedAt: reader.IsDBNull(7) ? default : reader.GetFieldValue<DateTime>(7),
                User: reader.IsDBNull(8) ? null : reader.GetString(8),
                Correlation: reader.IsDBNull(9) ? null : reader.GetString(9),
                Causation: reader.IsDBNull(10) ? null : reader.GetString(10),
                SealedDataHash: reader.IsDBNull(11) ? null : reader.GetString(11),
                StoredHash: reader.IsDBNull(12) ? null : reader.GetString(12),
                ErasedDataHash: reader.IsDBNull(13) ? null : reader.GetString(13),
                ErasedBy: reader.IsDBNull(14) ? null : reader.GetInt64(14),
                EarlierErasureDataHash: reader.IsDBNull(15) ? null : reader.GetString(15),
                EarlierErasure: !reader.IsDBNull(16) && reader.GetBoolean(16)));
        }
        if (current is not null) yield return current.Result();
    }

    /// <summary>SQL for the data_hash of a jsonb body as PostgreSQL writes it: sha256 of its text, lower-case hex.</summary>
    public static string DataHashSql(string body) => $"encode(sha256(convert_to({body}::text, 'UTF8')), 'hex')";

    /// <summary>The link of one event in the chain; the same definition as the database's mt_event_chain_link.</summary>
    public static string Link(string previousHash, Guid stream, long version, string type, string dataHash, DateTime recordedAtUtc,
        string? user, string? correlation, string? causation)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
                 {
                     previousHash, stream.ToString(), version.ToString(CultureInfo.InvariantCulture), type, dataHash,
                     recordedAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), user ?? "",
                     correlation ?? "", causation ?? "",
                 })
            text.Append(Encoding.UTF8.GetByteCount(field).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(';');
        return Sha256(text.ToString());
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record StoredEvent(
        long Version, long Sequence, bool Present, bool Sealed, string? Type, string? Data, DateTime RecordedAt,
        string? User, string? Correlation, string? Causation, string? SealedDataHash, string? StoredHash,
        string? ErasedDataHash, long? ErasedBy, string? EarlierErasureDataHash, bool EarlierErasure)
    {
        /// <summary>
        /// Erased with a hash of what it holds since: recorded in a later erasure event, or, for an erasure recorded
        /// before erasure events listed what they rewrote, beside the seal by that erasure.
        /// </summary>
        public bool ErasedTo(string dataHash) =>
            dataHash == ErasedDataHash || ErasedDataHash is null && EarlierErasure && dataHash == EarlierErasureDataHash;
    }

    /// <summary>Walks one stream in version order, recomputing each link from the one it computed before.</summary>
    private sealed class StreamCheck(Guid stream)
    {
        public Guid Stream { get; } = stream;
        private string _previous = Genesis;
        private int _events;
        private readonly List<long> _redacted = [];
        private ChainMismatch? _mismatch;

        public void Check(StoredEvent e)
        {
            if (e.Present) _events++;
            if (_mismatch is not null) return;

            if (!e.Present)
            {
                _mismatch = new(e.Version, e.Sequence, "the event was sealed but is no longer in the event store", null, e.StoredHash);
                return;
            }
            if (e.Version != _events)
            {
                _mismatch = new(e.Version, e.Sequence, $"version {_events} is missing before this event", null, e.StoredHash);
                return;
            }
            if (!e.Sealed)
            {
                _mismatch = new(e.Version, e.Sequence, "the event has no seal", null, null);
                return;
            }

            var dataHash = Sha256(e.Data!);
            var content = dataHash;
            if (dataHash != e.SealedDataHash && e.ErasedTo(dataHash))
            {
                content = e.SealedDataHash!;
                _redacted.Add(e.Version);
            }
            var expected = Link(_previous, Stream, e.Version, e.Type!, content, e.RecordedAt, e.User, e.Correlation, e.Causation);
            if (expected != e.StoredHash)
            {
                var reason = content != e.SealedDataHash
                    ? e.ErasedBy is { } erasure
                        ? $"the event's data differs from what was sealed and from what the erasure at version {erasure} recorded"
                        : "the event's data differs from what was sealed"
                    : "the event's type, time, user, correlation or causation, or an earlier link, differs from what was sealed";
                _mismatch = new(e.Version, e.Sequence, reason, expected, e.StoredHash);
                return;
            }
            _previous = expected;
        }

        public ChainVerification Result() => new(Stream, _mismatch is null, _events, _redacted, _mismatch);
    }
}

/// <summary>Installs the chain when the API starts, once Marten's schema is in place.</summary>
public sealed class EventChainInstaller(EventChain chain) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => chain.Install(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

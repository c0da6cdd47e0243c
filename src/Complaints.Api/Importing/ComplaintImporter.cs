using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Complaints.Domain;
using Complaints.Projections;
using Marten;
using nietras.SeparatedValues;
using Npgsql;

namespace Complaints.Api.Importing;

/// <summary>How far an import has got: rows read so far and, for a file, how much of it.</summary>
public sealed record ImportProgress(long RowsRead, long ComplaintsCreated, long Skipped, long? Position, long? Length);

/// <summary>
/// What an import did (or, for a dry run, would do). Rows read = complaints created + already imported + bad rows.
/// Only the first bad rows are kept, by line (<see cref="BadRows"/>); all of them are counted, by reason.
/// </summary>
public sealed record ImportSummary(
    string Source,
    long RowsRead,
    long ComplaintsCreated,
    long AlreadyImported,
    IReadOnlyList<BadRow> BadRows,
    long EventsWritten,
    double Seconds)
{
    public const string AlreadyImportedReason = "already imported";

    /// <summary>Every bad row, including those beyond the ones listed.</summary>
    public long BadRowCount { get; init; } = BadRows.Count;

    /// <summary>Bad rows by reason, all of them counted.</summary>
    public IReadOnlyDictionary<string, long> BadRowsByReason { get; init; } =
        BadRows.GroupBy(b => b.Reason).ToDictionary(g => g.Key, g => (long)g.Count());

    /// <summary>Columns of the file the format does not know, ignored.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Nothing was written: the figures say what an import would do.</summary>
    public bool DryRun { get; init; }

    public long Skipped => AlreadyImported + BadRowCount;

    /// <summary>Skipped rows by reason, most frequent first; "already imported" is a reason, not an error.</summary>
    public IReadOnlyList<(string Reason, long Rows)> SkippedByReason =>
    [
        .. BadRowsByReason.Select(r => (r.Key, r.Value))
            .Concat(AlreadyImported > 0 ? [(AlreadyImportedReason, AlreadyImported)] : [])
            .OrderByDescending(r => r.Item2).ThenBy(r => r.Item1, StringComparer.Ordinal),
    ];

    public double RowsPerSecond => Seconds > 0 ? RowsRead / Seconds : 0;

    /// <summary>How many rows with notes the summary lists one by one.</summary>
    public const int NotedRowsListed = 25;

    /// <summary>Complaints created with at least one data-quality note: imported whole, as the source says.</summary>
    public long ComplaintsNoted { get; init; }

    /// <summary>The notes made, by anomaly.</summary>
    public IReadOnlyDictionary<SourceAnomaly, long> AnomaliesNoted { get; init; } = new Dictionary<SourceAnomaly, long>();

    /// <summary>The first notes in the file (up to <see cref="NotedRowsListed"/>), in line order.</summary>
    public IReadOnlyList<NotedRow> NotedRows { get; init; } = [];
}

/// <summary>A data-quality note made on a row that was imported: where the row is, the anomaly and the source's values.</summary>
public sealed record NotedRow(int Line, string SourceId, SourceAnomaly Anomaly, string Detail, IReadOnlyDictionary<string, string?> SourceValues);

/// <summary>One row on its way in: mapped, or already known to be bad.</summary>
public readonly record struct ImportRow(int Line, SourceComplaint? Complaint, BadRow? Bad);

/// <summary>
/// Imports history from other systems. Each row becomes one complaint stream whose events are decided by the domain's
/// own decisions, dated from the row, by the user "import:{source}". Rows are appended in batches (one session and
/// one SaveChanges per batch); the inline read models are written with them and the async analytics catch up
/// afterwards in the projection daemon. A row's stream id is derived from its source id, so a row imported before
/// (by an earlier run, or one stopped half way) is recognised and skipped. A bad row is reported with its line and
/// reason and never stops the import; a batch that cannot be stored is retried row by row, so one row's failure loses
/// no other. Memory does not grow with the file; a dry run decides everything and writes nothing.
/// </summary>
public sealed class ComplaintImporter(IDocumentStore store, ComplaintPolicies policies, TimeProvider clock)
{
    public const int DefaultBatchSize = 500;

    public static readonly IReadOnlyList<IImportFormat> Formats = [new CfpbFormat(), new Nyc311Format()];

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How many bad rows the summary lists, the first by line; the rest are counted by reason.</summary>
    public const int DefaultBadRowsKept = 25;

    public int BadRowsKept { get; init; } = DefaultBadRowsKept;

    /// <summary>Decides every row as an import would and writes nothing: no events, no streams, no tracking numbers.</summary>
    public bool DryRun { get; init; }

    /// <summary>A CSV file to which every bad row is written (line, source_id, reason, detail) in the order found.</summary>
    public string? ReportPath { get; init; }

    public static IImportFormat Format(string name) =>
        Formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ImportFailed($"unknown format '{name}'; the formats are {string.Join(", ", Formats.Select(f => f.Name))}");

    public async Task<ImportSummary> ImportFileAsync(string format, string path, IProgress<ImportProgress>? progress = null,
        CancellationToken ct = default)
    {
        var mapping = Format(format);
        if (!File.Exists(path)) throw new ImportFailed($"no file {path}");
        await using var stream = File.OpenRead(path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await ImportAsync(mapping.Name, Rows(mapping, reader), progress, () => (stream.Position, stream.Length), ct);
    }

    public async Task<ImportSummary> ImportAsync(string format, TextReader reader, IProgress<ImportProgress>? progress = null,
        CancellationToken ct = default)
    {
        var mapping = Format(format);
        return await ImportAsync(mapping.Name, Rows(mapping, reader), progress, null, ct);
    }

    /// <summary>The CSV's rows mapped by the format; the header is checked before the first row is read.</summary>
    public static SourceRows Rows(IImportFormat format, TextReader reader) => SourceRows.Read(format, reader);

    /// <summary>
    /// The pipeline: rows already mapped (from a file, or generated like the demo population) into streams. What it
    /// keeps does not grow with the file: the batch at hand, counts by reason and the first bad rows. A row repeated in
    /// the file is found in the store (its stream was started by this run, which its correlation id tells).
    /// </summary>
    public async Task<ImportSummary> ImportAsync(string source, IEnumerable<ImportRow> rows, IProgress<ImportProgress>? progress,
        Func<(long Position, long Length)>? position, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var context = new CommandContext(Identity.ReservedUsers.ImporterPrefix + source, clock.GetUtcNow(), policies, FromSource: true);
        if (!DryRun) await SchemaReady(store);

        Run opened;
        try
        {
            opened = new Run(source, context, BadRowsKept, ReportPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportFailed($"cannot write the report {ReportPath}: {e.Message}");
        }
        await using var run = opened;
        if (DryRun) run.Ledger = await DryRunLedger.Open(store, ct);
        var batch = new List<Pending>(BatchSize);
        var inBatch = new HashSet<Guid>();

        void Report()
        {
            var at = position?.Invoke();
            progress?.Report(new ImportProgress(run.RowsRead, run.Created, run.AlreadyImported + run.BadCount, at?.Position, at?.Length));
        }

        async Task Flush()
        {
            await Append(run, batch, ct);
            batch.Clear();
            inBatch.Clear();
        }

        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            run.RowsRead++;
            if (row.Bad is { } bad) run.Add(bad);
            else if (row.Complaint is { } complaint)
            {
                var id = SourceKeys.StreamId(source, complaint.SourceId);
                // The same id twice in one batch: the batch is stored first, so that the second finds the first stored.
                if (!inBatch.Add(id))
                {
                    await Flush();
                    inBatch.Add(id);
                }
                batch.Add(new Pending(row.Line, complaint, id));
            }
            if (batch.Count >= BatchSize) await Flush();
            if (run.RowsRead % 100 == 0) Report();
        }
        if (batch.Count > 0) await Flush();
        Report();

        return new ImportSummary(source, run.RowsRead, run.Created, run.AlreadyImported, run.KeptBadRows, run.Events,
            Math.Round(started.Elapsed.TotalSeconds, 3))
        {
            BadRowCount = run.BadCount,
            BadRowsByReason = run.ByReason,
            IgnoredColumns = rows is SourceRows file ? file.IgnoredColumns : [],
            DryRun = DryRun,
            ComplaintsNoted = run.ComplaintsNoted,
            AnomaliesNoted = run.AnomaliesNoted.ToDictionary(),
            NotedRows = run.NotedRows.OrderBy(n => n.Line).ToList(),
        };
    }

    private static readonly ConditionalWeakTable<IDocumentStore, Task> Schemas = new();

    /// <summary>
    /// The sequence and tables must exist before the first batch, also from a command line that never started the API.
    /// Checked once per store: the check compares the whole schema and takes most of a second.
    /// </summary>
    private static async Task SchemaReady(IDocumentStore store)
    {
        Task ready;
        lock (Schemas) ready = Schemas.GetValue(store, s => s.Storage.ApplyAllConfiguredChangesToDatabaseAsync());
        try
        {
            await ready;
        }
        catch
        {
            lock (Schemas) Schemas.Remove(store); // the next import tries again
            throw;
        }
    }

    private sealed record Pending(int Line, SourceComplaint Complaint, Guid Id);

    private sealed record Decided(Pending Pending, object[] Events);

    private sealed class Run(string source, CommandContext context, int kept, string? reportPath) : IAsyncDisposable
    {
        public string Source { get; } = source;
        public CommandContext Context { get; } = context;

        /// <summary>
        /// Every event of one import carries the same correlation id, so that an auditor finds the whole run; it is the
        /// run's own (the time and a random part), so that a row this run stored is told from one an earlier run did.
        /// </summary>
        public string CorrelationId { get; } = $"import:{source}:{context.Now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..6]}";
        public long RowsRead;
        public long Created;
        public long AlreadyImported;
        public long Events;
        public long BadCount;
        public readonly Dictionary<string, long> ByReason = new(StringComparer.Ordinal);
        private readonly List<BadRow> _kept = new(kept);
        private readonly SepWriter? _report = reportPath is null ? null : Sep.New(',').Writer(o => o with { Escape = true }).ToFile(reportPath);
        public DryRunLedger? Ledger;

        /// <summary>The first bad rows by line (refusals are found a batch after the rows read meanwhile).</summary>
        public IReadOnlyList<BadRow> KeptBadRows => [.. _kept.OrderBy(b => b.Line)];

        public void Add(BadRow bad)
        {
            BadCount++;
            ByReason[bad.Reason] = ByReason.GetValueOrDefault(bad.Reason) + 1;
            if (_kept.Count < kept) _kept.Add(bad);
            else if (kept > 0)
            {
                var last = 0;
                for (var i = 1; i < _kept.Count; i++)
                    if (_kept[i].Line > _kept[last].Line) last = i;
                if (bad.Line < _kept[last].Line) _kept[last] = bad;
            }
            if (_report is not null)
            {
                using var row = _report.NewRow();
                row["line"].Format(bad.Line);
                row["source_id"].Set(bad.SourceId ?? "");
                row["reason"].Set(bad.Reason);
                row["detail"].Set(bad.Detail);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _report?.Dispose();
            if (Ledger is not null) await Ledger.DisposeAsync();
        }

        public long ComplaintsNoted;
        public readonly Dictionary<SourceAnomaly, long> AnomaliesNoted = [];

        /// <summary>The first rows stored with notes, as many as the summary lists: memory does not grow with the file.</summary>
        public readonly List<NotedRow> NotedRows = [];

        public void Stored(Decided complaint)
        {
            Created++;
            Events += complaint.Events.Length;
            var notes = complaint.Events.OfType<SourceAnomalyNoted>().ToList();
            if (notes.Count == 0) return;
            ComplaintsNoted++;
            foreach (var note in notes)
            {
                AnomaliesNoted[note.Anomaly] = AnomaliesNoted.GetValueOrDefault(note.Anomaly) + 1;
                if (NotedRows.Count < ImportSummary.NotedRowsListed)
                    NotedRows.Add(new NotedRow(complaint.Pending.Line, complaint.Pending.Complaint.SourceId, note.Anomaly, note.Detail, note.SourceValues));
            }
        }
    }

    /// <summary>A row whose stream this very run started: the file names its source id twice.</summary>
    public const string RepeatedInTheFile = "repeated in the file";

    private async Task Append(Run run, List<Pending> batch, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var known = await Known(run, schema, batch.Select(p => p.Id).ToArray(), ct);

        var decided = new List<Decided>(batch.Count);
        foreach (var pending in batch)
        {
            if (known.TryGetValue(pending.Id, out var byThisRun))
            {
                if (byThisRun)
                    run.Add(new BadRow(pending.Line, pending.Complaint.SourceId, RepeatedInTheFile,
                        $"source id {pending.Complaint.SourceId} is on an earlier line of the file"));
                else run.AlreadyImported++;
                continue;
            }
            try
            {
                decided.Add(new Decided(pending, Decide(pending, run.Context)));
            }
            catch (Exception e) when (e is ComplaintCommandRefused or ComplaintCommandInvalid or RowRejected)
            {
                run.Add(Refusal(pending, e));
            }
        }
        if (decided.Count == 0) return;

        if (run.Ledger is { } ledger)
        {
            // A dry run: the rows would be stored; they are noted so that a repeat further on is found, and nothing is written.
            await ledger.Note(decided.Select(d => d.Pending.Id).ToArray(), ct);
            foreach (var one in decided) run.Stored(one);
            return;
        }

        // Tracking numbers come from the API's sequence, a block per batch, only for the rows that passed.
        var numbers = await TrackingNumbers(schema, decided.Count, ct);
        for (var i = 0; i < decided.Count; i++)
        {
            var received = (ComplaintReceived)decided[i].Events[0];
            decided[i].Events[0] = received with { TrackingNumber = $"C-{received.At.UtcDateTime.Year}-{numbers[i]:D6}" };
        }

        try
        {
            await Store(run, decided, ct);
            foreach (var one in decided) run.Stored(one);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Something in the batch could not be stored (a concurrent import of the same rows, say): one by one,
            // so that the others are kept and the culprit is named.
            foreach (var one in decided)
            {
                try
                {
                    await Store(run, [one], ct);
                    run.Stored(one);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Another import stored the same row meanwhile: the natural key did its work.
                    if (StoreErrors.IsDuplicate(e) && (await Known(run, schema, [one.Pending.Id], ct)).Count > 0)
                        run.AlreadyImported++;
                    else
                        run.Add(new BadRow(one.Pending.Line, one.Pending.Complaint.SourceId, "could not be stored", Innermost(e).Message));
                }
            }
        }
    }

    private async Task Store(Run run, IReadOnlyList<Decided> complaints, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = run.Context.User;
        session.CorrelationId = run.CorrelationId;
        foreach (var complaint in complaints) session.Events.StartStream<Complaint>(complaint.Pending.Id, complaint.Events);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The row's events, each step decided on the state the previous ones left, as the API would; but without our
    /// service promises, which the source's office never gave: its own due dates stand, and no timer is set. History is
    /// kept whole: where a step breaks a rule of time that refuses a live command, the decision records it as the source
    /// dated it and notes the anomaly (<see cref="CommandContext.FromSource"/>); the note is given the source's values here,
    /// the columns the step and the step it ran back against were read from. What the mapping itself found odd in the row
    /// is noted after the receipt. The same anomaly over the same values is noted once, whichever step met it.
    /// </summary>
    private static object[] Decide(Pending pending, CommandContext context)
    {
        var source = pending.Complaint;
        var received = source.Receive.Decide(pending.Id, "", context);
        var complaint = Complaint.From(received);
        var events = new List<object> { received };
        var notes = new List<SourceAnomalyNoted>();

        void Add(object e)
        {
            if (e is SourceAnomalyNoted note)
            {
                if (notes.Any(n => n.SameAs(note))) return;
                notes.Add(note);
            }
            events.Add(e);
            complaint = complaint.After(e);
        }

        if (source.Receive.Noted(context) is { } future) Add(future with { SourceValues = source.ReceivedFrom });
        foreach (var n in source.Noted) Add(new SourceAnomalyNoted(n.Anomaly, n.Detail, n.Values, context.Now, context.User));

        // The step the latest time so far came from: a step dated before it ran back against its columns.
        var latest = (At: received.At, From: source.ReceivedFrom);
        foreach (var step in source.Steps)
        {
            foreach (var e in step.Command.Decide(complaint, context).Where(e => e is not ServicePromisesGiven))
                Add(e is SourceAnomalyNoted note ? note with { SourceValues = ValuesOf(note.Anomaly, step, latest.From) } : e);
            if (step.Command.At is { } at && at > latest.At) latest = (at, step.When);
        }
        return events.ToArray();
    }

    /// <summary>The source's values behind a note the domain made on a step.</summary>
    private static IReadOnlyDictionary<string, string?> ValuesOf(SourceAnomaly anomaly, SourceStep step, IReadOnlyDictionary<string, string?> latest)
    {
        IEnumerable<KeyValuePair<string, string?>> values = anomaly switch
        {
            SourceAnomaly.StepsOutOfOrder => latest.Concat(step.When),
            SourceAnomaly.DatedInTheFuture => step.When,
            _ => step.When.Concat(step.Values),
        };
        var merged = new Dictionary<string, string?>();
        foreach (var (column, value) in values) merged.TryAdd(column, value);
        return merged;
    }

    /// <summary>
    /// A row the domain refused even as history: a mapping that gives a step the case's state does not allow. Rules of time
    /// are noted, never refused (see <see cref="Decide"/>), so this names a fault in the mapping rather than in the source.
    /// </summary>
    private static BadRow Refusal(Pending pending, Exception e) => e switch
    {
        ComplaintCommandRefused r => new(pending.Line, pending.Complaint.SourceId, "refused: " + r.Rule, r.Message),
        ComplaintCommandInvalid i => new(pending.Line, pending.Complaint.SourceId, "invalid: " + string.Join(", ", i.Errors.Keys), i.Message),
        RowRejected r => new(pending.Line, pending.Complaint.SourceId, r.Reason, r.Message),
        _ => new(pending.Line, pending.Complaint.SourceId, "failed", e.Message),
    };

    /// <summary>
    /// Which of the ids are stored already, one query per batch, and whether by this run: a stream's first event
    /// carries the correlation id of the run that started it. In a dry run, also the rows it would have stored.
    /// </summary>
    private async Task<Dictionary<Guid, bool>> Known(Run run, string schema, Guid[] ids, CancellationToken ct)
    {
        if (run.Ledger is { } ledger) return await ledger.Known(ids, ct);
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return await StartedBy(connection, schema, ids, run.CorrelationId, ct);
    }

    /// <summary>The ids among these whose streams exist, each with whether the given run started it.</summary>
    internal static async Task<Dictionary<Guid, bool>> StartedBy(NpgsqlConnection connection, string schema, Guid[] ids, string? run,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select stream_id, correlation_id is not distinct from @run from {schema}.mt_events where stream_id = any(@ids) and version = 1",
            connection);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)run ?? DBNull.Value });
        var known = new Dictionary<Guid, bool>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) known[reader.GetGuid(0)] = reader.GetBoolean(1);
        return known;
    }

    private async Task<IReadOnlyList<long>> TrackingNumbers(string schema, int count, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.QueryAsync<long>(
            $"select nextval('{schema}.{ComplaintStore.TrackingNumberSequence}') from generate_series(1, ?)", ct, [count]);
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

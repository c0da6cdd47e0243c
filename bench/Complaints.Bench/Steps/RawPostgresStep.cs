using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 1, the physical limit: the rows one command writes — its stream row (a new one, or the version moved on), its
/// event row and its read-model row — inserted in one transaction by pgbench with a custom script and by raw Npgsql
/// batches (one round trip), into copies of Marten's tables in the schema bench_raw (same columns, indexes and foreign
/// key; Marten's own tables are left alone). The mix follows the workload: one command in eight starts a stream, 5 %
/// go to five hot streams, the payloads are a real event and a real ComplaintDetails document of the population.
/// Not written here, though a command writes them too: the write-model document and the hash-chain row.
/// </summary>
public sealed partial class RawPostgresStep(BenchContext ctx)
{
    public const string Name = "raw";
    private const int HotStreams = 5;

    private int _streams;
    private string _event = "{}";
    private string _document = "{}";
    private string _insertEvent = "";
    private const string UpdateStream =
        "update bench_raw.mt_streams set version = version + 1, timestamp = now() where id = $1 returning version";
    private const string NewStream =
        "insert into bench_raw.mt_streams (id, type, version, timestamp, created, tenant_id) values ($1, 'complaint', 1, now(), now(), '*DEFAULT*')";
    private const string UpsertDocument =
        """
        insert into bench_raw.mt_doc_complaintdetails (id, data, mt_last_modified, mt_dotnet_type, mt_version)
        values ($1, jsonb_set($2::jsonb, '{trackingNumber}', to_jsonb($3::text)), now(), 'Complaints.Projections.Complaints.ComplaintDetails',
                (select version from bench_raw.mt_streams where id = $1))
        on conflict (id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, mt_version = excluded.mt_version
        """;

    public async Task Run()
    {
        await Prepare();
        var pgbench = BenchDatabase.FindPgBench();
        if (pgbench is null) ctx.Report.Note("pgbench was not found (pg_config --bindir, /usr/lib/postgresql/*/bin, PATH): only the Npgsql batches ran.");

        await LoadGenerator.ClosedLoop("warm-up", 4, ctx.Options.WarmUp, Command);
        foreach (var c in ctx.Options.Concurrency)
        {
            if (pgbench is not null)
            {
                var tps = await PgBench(pgbench, c);
                ctx.Log($"  pgbench c={c}: {tps:N0} tps");
                if (tps is { } t)
                    ctx.Sweep[(BenchContext.Writers.PgBench, c)] = new LoadResult("pgbench", ctx.Options.Seconds, (long)(t * ctx.Options.Seconds), 0, 0, new Latencies(), null, c);
                ctx.Report.Add(new BenchRow("1 raw PostgreSQL", $"pgbench, 3 rows per command, c={c}", tps, "commands/s"));
            }
            var cpu = await CpuMeter.Start(ctx);
            var npgsql = await LoadGenerator.ClosedLoop("npgsql", c, ctx.Options.Step, Command);
            var spent = await cpu.Stop();
            ctx.Log("  " + npgsql + "; " + spent.PerCommand(npgsql.Ok));
            ctx.Sweep[(BenchContext.Writers.Npgsql, c)] = npgsql;
            ctx.Report.Add(new BenchRow("1 raw PostgreSQL", $"Npgsql batch, 3 rows per command, c={c}", npgsql.Throughput, "commands/s",
                Note: $"p50 {npgsql.Latency.Ms(50):N2} ms, p99 {npgsql.Latency.Ms(99):N2} ms, PostgreSQL CPU {spent.PostgresMs / Math.Max(1, npgsql.Ok):0.00} ms per command" +
                      (npgsql.Failed > 0 ? $", {npgsql.Failed} failed" : "")));
        }

        // Not a baseline, an explanation: the same batches once the API's tamper-evidence trigger (the hash chain,
        // installed by the API on its events table) is on the copy too.
        var goal = ctx.GoalConcurrency;
        await ctx.Db.Execute(Complaints.Api.Auditing.EventChain.InstallSql("bench_raw"));
        var sealedRun = await LoadGenerator.ClosedLoop("npgsql + hash chain", goal, ctx.Options.Step, Command);
        ctx.Log("  " + sealedRun);
        var plain = ctx.Sweep[(BenchContext.Writers.Npgsql, goal)].Throughput;
        ctx.Report.Add(new BenchRow("1 raw PostgreSQL", $"Npgsql batch with the hash-chain trigger on the events, c={goal}", sealedRun.Throughput, "commands/s",
            "Npgsql batch without it", plain, MartenDirectStep.Ratio(sealedRun.Throughput, plain),
            Note: $"p99 {sealedRun.Latency.Ms(99):N2} ms"));
    }

    private async Task Prepare()
    {
        _streams = (int)Math.Clamp(ctx.Report.Population?.Complaints ?? ctx.Options.Complaints, 100, 200_000);
        _event = await ctx.Db.Scalar<string>(
                     "select data::text from complaints.mt_events where type = 'evidence_recorded' order by seq_id desc limit 1")
                 ?? await ctx.Db.Scalar<string>("select data::text from complaints.mt_events order by seq_id desc limit 1") ?? "{}";
        _document = await ctx.Db.Scalar<string>(
                        "select data::text from complaints.mt_doc_complaintdetails where status = 'Investigating' limit 1")
                    ?? await ctx.Db.Scalar<string>("select data::text from complaints.mt_doc_complaintdetails limit 1") ?? "{}";

        var watch = Stopwatch.StartNew();
        await ctx.Db.Execute("""
            drop schema if exists bench_raw cascade;
            create schema bench_raw;
            create table bench_raw.mt_streams (like complaints.mt_streams including all);
            create table bench_raw.mt_events (like complaints.mt_events including all);
            alter table bench_raw.mt_events add constraint fkey_raw_events_stream foreign key (stream_id) references bench_raw.mt_streams (id) on delete cascade;
            create sequence bench_raw.mt_events_sequence;
            create table bench_raw.mt_doc_complaintdetails (like complaints.mt_doc_complaintdetails including all);
            """);
        await ctx.Db.Execute(
            "insert into bench_raw.mt_streams (id, type, version, timestamp, created, tenant_id) " +
            "select md5('s' || n)::uuid, 'complaint', 1, now(), now(), '*DEFAULT*' from generate_series(1, $1) n", _streams);
        await ctx.Db.Execute(
            "insert into bench_raw.mt_doc_complaintdetails (id, data, mt_last_modified, mt_dotnet_type, mt_version) " +
            "select md5('s' || n)::uuid, jsonb_set($2::jsonb, '{trackingNumber}', to_jsonb('R-' || n)), now(), 'ComplaintDetails', 1 from generate_series(1, $1) n",
            _streams, _document);
        await ctx.Db.Execute("analyze bench_raw.mt_streams; analyze bench_raw.mt_doc_complaintdetails");

        var columns = (await ctx.Db.Rows("select column_name from information_schema.columns where table_schema = 'bench_raw' and table_name = 'mt_events'"))
            .Select(r => (string)r[0]!).ToHashSet();
        var names = new List<string> { "seq_id", "id", "stream_id", "version", "data", "type", "timestamp", "tenant_id", "mt_dotnet_type" };
        var values = new List<string> { "nextval('bench_raw.mt_events_sequence')", "$1", "$2", "(select version from bench_raw.mt_streams where id = $2)",
            "$3::jsonb", "'evidence_recorded'", "now()", "'*DEFAULT*'", "'Complaints.Domain.EvidenceRecorded, Complaints.Domain'" };
        foreach (var (column, value) in new[] { ("user_name", "'bench.raw'"), ("correlation_id", "$4"), ("causation_id", "$4") })
            if (columns.Contains(column))
            {
                names.Add(column);
                values.Add(value);
            }
        _insertEvent = $"insert into bench_raw.mt_events ({string.Join(", ", names)}) values ({string.Join(", ", values)})";
        ctx.Log($"  bench_raw: {_streams:N0} streams and documents in {watch.Elapsed.TotalSeconds:N1} s; event {_event.Length} bytes, document {_document.Length} bytes");
    }

    /// <summary>One command's rows in one round trip and one transaction (an Npgsql batch is one implicit transaction).</summary>
    private async Task<Outcome> Command()
    {
        var rng = Random.Shared;
        var roll = rng.NextDouble();
        var isNew = roll >= Workload.HotShare && roll < Workload.HotShare + (1 - Workload.HotShare) / Workload.CommandsPerComplaint;
        var n = roll < Workload.HotShare ? rng.Next(1, HotStreams + 1) : rng.Next(1, _streams + 1);
        var id = isNew ? Guid.NewGuid() : StreamId(n);
        var trackingNumber = isNew ? "N-" + id.ToString("N") : "R-" + n.ToString(CultureInfo.InvariantCulture);
        var correlation = Guid.NewGuid().ToString("N");

        await using var connection = await ctx.Db.DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(isNew ? NewStream : UpdateStream) { Parameters = { new() { Value = id } } },
                new NpgsqlBatchCommand(_insertEvent)
                {
                    Parameters = { new() { Value = Guid.NewGuid() }, new() { Value = id }, new() { Value = _event }, new() { Value = correlation } },
                },
                new NpgsqlBatchCommand(UpsertDocument) { Parameters = { new() { Value = id }, new() { Value = _document }, new() { Value = trackingNumber } } },
            },
        };
        await batch.ExecuteNonQueryAsync();
        return Outcome.Ok;
    }

    /// <summary>md5('s' || n)::uuid, as the tables were filled.</summary>
    private static Guid StreamId(int n) => Guid.ParseExact(Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("s" + n))), "N");

    private async Task<double?> PgBench(string pgbench, int clients)
    {
        var dir = Path.Combine(Path.GetTempPath(), "complaints-bench-" + ctx.RunId);
        Directory.CreateDirectory(dir);
        string EventSql(string stream, string version)
        {
            // The same insert as the Npgsql batch, in pgbench's :variable syntax.
            return _insertEvent.Replace("$1", "gen_random_uuid()").Replace("(select version from bench_raw.mt_streams where id = $2)", version)
                .Replace("$2", stream).Replace("$3", ":ev").Replace("$4", "md5(random()::text)");
        }
        const string doc = "insert into bench_raw.mt_doc_complaintdetails (id, data, mt_last_modified, mt_dotnet_type, mt_version) " +
                           "values ({0}, jsonb_set(:doc::jsonb, '{{trackingNumber}}', to_jsonb({1})), now(), 'Complaints.Projections.Complaints.ComplaintDetails', {2}) " +
                           "on conflict (id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, mt_version = excluded.mt_version;";
        var existing = "md5('s' || (:id)::text)::uuid";
        string Update(string range) =>
            $"""
            \set id random({range})
            BEGIN;
            update bench_raw.mt_streams set version = version + 1, timestamp = now() where id = {existing} returning version as v \gset
            {EventSql(existing, ":v")};
            {string.Format(CultureInfo.InvariantCulture, doc, existing, "'R-' || (:id)::text", ":v")}
            END;

            """;
        var fresh = "md5('n' || (:nid)::text)::uuid";
        var newScript =
            $"""
            \set nid random(1, 9000000000000000000)
            BEGIN;
            insert into bench_raw.mt_streams (id, type, version, timestamp, created, tenant_id) values ({fresh}, 'complaint', 1, now(), now(), '*DEFAULT*');
            {EventSql(fresh, "1")};
            {string.Format(CultureInfo.InvariantCulture, doc, fresh, "'N-' || (:nid)::text", "1")}
            END;

            """;
        var updateFile = Path.Combine(dir, "update.sql");
        var newFile = Path.Combine(dir, "new.sql");
        var hotFile = Path.Combine(dir, "hot.sql");
        await File.WriteAllTextAsync(updateFile, Update("1, :streams"));
        await File.WriteAllTextAsync(newFile, newScript);
        await File.WriteAllTextAsync(hotFile, Update($"1, {HotStreams}"));

        // Weights as the workload: 5 % hot, one in eight of the rest new streams.
        var newWeight = (int)Math.Round((1 - Workload.HotShare) / Workload.CommandsPerComplaint * 100);
        var c = ctx.Db.Connection;
        var info = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture),
                     "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                     "-T", Math.Max(1, (int)Math.Round(ctx.Options.Seconds)).ToString(CultureInfo.InvariantCulture),
                     "-h", c.Host ?? "127.0.0.1", "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username ?? "postgres",
                     "-D", $"streams={_streams}", "-D", $"ev={_event}", "-D", $"doc={_document}",
                     "-f", $"{updateFile}@{100 - 5 - newWeight}", "-f", $"{newFile}@{newWeight}", "-f", $"{hotFile}@5",
                     c.Database ?? "postgres",
                 })
            info.ArgumentList.Add(arg);
        info.Environment["PGOPTIONS"] = "-c synchronous_commit=on";
        if (!string.IsNullOrEmpty(c.Password)) info.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + "\n" + await stderr;
        var match = Tps().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            ctx.Report.Note($"pgbench c={clients} failed (exit {process.ExitCode}): {string.Join(" ", output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3))}");
            return null;
        }
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}

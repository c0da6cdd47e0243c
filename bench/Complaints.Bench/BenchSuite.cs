using System.Diagnostics;
using Complaints.Api;
using Complaints.Bench.Steps;
using Microsoft.Extensions.Configuration;

namespace Complaints.Bench;

/// <summary>A finished run: the report and where it was written.</summary>
public sealed record BenchRun(BenchReport Report, string MarkdownFile, string JsonFile);

/// <summary>
/// Runs the steps in order on one database: the population, raw PostgreSQL, Marten direct, then the API in a child
/// process for the command path, projection lag, reads and the soak; the API stopped for the rebuild; the import last.
/// </summary>
public static class BenchSuite
{
    public static async Task<BenchRun> Run(BenchOptions options, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line)
        {
            lock (output) output.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
        }

        var runId = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss");
        var resultsDirectory = Path.GetFullPath(options.Output ?? Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "results"));
        Directory.CreateDirectory(resultsDirectory);

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var connectionString = options.Connection;
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = configuration.GetConnectionString(DatabaseConnection.Name);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new BenchUsageException("no database: pass --connection, set ConnectionStrings__Complaints, or run ./build.sh --target=Bench");

        await BenchDatabase.EnsureExists(connectionString);
        await using var db = BenchDatabase.Open(connectionString);
        var report = new BenchReport { Options = BenchOptionsSummary.From(options) };
        foreach (var (name, value) in await db.ServerSettings()) report.Server.Add(new(name, value));
        Log($"database {db.Connection.Database} on {db.Connection.Host}:{db.Connection.Port}");
        foreach (var s in report.Server) Log($"  {s.Key} = {s.Value}");
        if (report.Server.First(s => s.Key == "synchronous_commit").Value != "on")
            throw new InvalidOperationException("synchronous_commit is not on for the suite's connections: the figures would not be of durable commits");

        var policies = ComplaintPoliciesConfiguration.Read(configuration);
        await using var store = db.CreateStore();
        report.Population = await Population.Ensure(db, store, options, policies, Log);
        var p = report.Population;
        Log($"population: {p.Complaints:N0} complaints, {p.Events:N0} events ({p.EventsPerComplaint:N1} each), event JSON {p.MeanEventBytes:N0} bytes on average");

        var workload = new Workload(policies);
        var open = await Population.LoadOpenComplaints(store, workload, options.Smoke ? 500 : 20_000);
        var hot = await Population.Investigating(store, policies, 5, workload.Categories[0]);
        workload.SetHot(hot.Select(h => new HotComplaint(h.Id, h.Version)));
        Log($"workload: {open:N0} open complaints to move on, {hot.Count} hot complaints");

        var ctx = new BenchContext(options, db, store, workload, report, resultsDirectory, runId, Log);
        ProjectionLagStep? lag = null;
        ReadsStep? reads = null;
        SoakStep? soak = null;
        RebuildStep? rebuild = null;
        try
        {
            if (options.Runs(RawPostgresStep.Name)) await Step("1 raw PostgreSQL", () => new RawPostgresStep(ctx).Run());
            if (options.Runs(MartenDirectStep.Name)) await Step("2 Marten direct", () => new MartenDirectStep(ctx).Run());

            var soakRuns = options.Runs(SoakStep.Name) && options.SoakMinutes > 0;
            if (options.Runs(CommandPathStep.Name) || options.Runs(ProjectionLagStep.Name) || options.Runs(ReadsStep.Name) || soakRuns)
            {
                ctx.Api = await ApiProcess.Start(db.ConnectionString, Path.Combine(resultsDirectory, $"{runId}-api.log"), Log, options.Api);
                ctx.Http = new HttpCommands(ctx.CommandClient, workload);
                var profile = await db.PgStatStatementsLoaded();
                if (profile) await db.Execute("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()");

                if (options.Runs(CommandPathStep.Name)) await Step("3 command path", () => new CommandPathStep(ctx).Run());
                else await CommandPathStep.EstimateSaturation(ctx);
                if (options.Runs(ProjectionLagStep.Name)) await Step("4 projection lag", () => (lag = new ProjectionLagStep(ctx)).Run());
                if (options.Runs(ReadsStep.Name)) await Step("6 reads", () => (reads = new ReadsStep(ctx)).Run());
                if (profile) await Statements(db, report);
                if (soakRuns) await Step("7 memory soak", () => (soak = new SoakStep(ctx)).Run());

                report.Add(new BenchRow("7 memory soak", "API working set when the HTTP steps ended", ctx.Api.CurrentMiB(), "MiB",
                    Note: $"after {ctx.Api.Uptime.TotalMinutes:N1} min; log {Path.GetFileName(ctx.Api.LogFile)}"));
                ctx.ResetClients();
                await ctx.Api.DisposeAsync();
                ctx.Api = null;
            }

            if (options.Runs(RebuildStep.Name)) await Step("5 rebuild", () => (rebuild = new RebuildStep(ctx)).Run());
            if (options.Runs(ImportStep.Name)) await Step("8 import", () => new ImportStep(ctx).Run());
        }
        finally
        {
            ctx.ResetClients();
            if (ctx.Api is not null) await ctx.Api.DisposeAsync();
        }

        if (workload.Refused > 0) report.Note($"{workload.Refused} lifecycle commands failed (refused or an error; see the notes and the API's log) and their complaints left the workload.");
        Goals.Judge(ctx, lag, rebuild, reads, soak);
        report.Seconds = clock.Elapsed.TotalSeconds;

        var markdownFile = Path.Combine(resultsDirectory, $"{runId}.md");
        var jsonFile = Path.Combine(resultsDirectory, $"{runId}.json");
        await File.WriteAllTextAsync(markdownFile, report.Markdown());
        await File.WriteAllTextAsync(jsonFile, report.Json());
        return new BenchRun(report, markdownFile, jsonFile);

        async Task Step(string name, Func<Task> step)
        {
            Log($"== {name}");
            var watch = Stopwatch.StartNew();
            await step();
            Log($"   {name} took {watch.Elapsed.TotalSeconds:N0} s");
        }
    }

    private static async Task Statements(BenchDatabase db, BenchReport report)
    {
        var rows = await db.Rows("""
            select calls, total_exec_time, mean_exec_time, rows, regexp_replace(query, '\s+', ' ', 'g')
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time desc limit 12
            """);
        foreach (var r in rows)
        {
            var query = (string)r[4]!;
            report.Statements.Add(new StatementProfile((long)r[0]!, (double)r[1]!, (double)r[2]!, (long)r[3]!, query.Length > 300 ? query[..300] + "…" : query));
        }
    }

    /// <summary>The checkout: the first directory above this program (or the current one) that holds Complaints.slnx.</summary>
    public static string? RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Complaints.slnx"))) return dir.FullName;
        return null;
    }
}

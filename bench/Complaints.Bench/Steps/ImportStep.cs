using System.Diagnostics;
using Complaints.Api.Auditing;
using Complaints.Api.Importing;
using Marten;
using Npgsql;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 8 of the table (7 in the issue): the importer (ComplaintImporter, as `import cfpb FILE` runs it) over the CFPB sample, rows per
/// second, into a database of its own on the same server ({database}_import, emptied before each pass, the hash-chain
/// trigger installed as the API installs it) so that the population is left as it is and every pass imports the whole
/// file. The baseline is reading and mapping the same file without storing anything.
/// </summary>
public sealed class ImportStep(BenchContext ctx)
{
    public const string Name = "import";
    public const string SampleFile = "cfpb_consumer_complaints_2013_sample.csv";

    public async Task Run()
    {
        var file = Find(ctx.Options.CfpbFile);
        if (file is null)
        {
            ctx.Report.Note($"import: {SampleFile} not found (--cfpb FILE, or shared/data beside the checkout); the step was skipped.");
            ctx.Report.Add(new BenchRow("8 import", "CFPB sample", null, "rows/s", Note: "file not found"));
            return;
        }

        var importDb = new NpgsqlConnectionStringBuilder(ctx.Db.ConnectionString);
        importDb.Database += "_import";
        await BenchDatabase.EnsureExists(importDb.ConnectionString);
        var passes = ctx.Options.Smoke ? 1 : 3;

        var parse = ParseRate(file);
        var rates = new List<double>();
        long rows = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            await using (var connection = new NpgsqlConnection(importDb.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand("drop schema if exists complaints cascade; drop schema if exists analytics cascade", connection);
                await drop.ExecuteNonQueryAsync();
            }
            await using var store = new DocumentStore(BenchDatabase.StoreOptions(importDb.ConnectionString));
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await new EventChain(store).Install(CancellationToken.None);

            var importer = new ComplaintImporter(store, ctx.Policies, TimeProvider.System);
            var watch = Stopwatch.StartNew();
            var summary = await importer.ImportFileAsync("cfpb", file);
            var seconds = watch.Elapsed.TotalSeconds;
            rows = summary.RowsRead;
            rates.Add(summary.RowsRead / seconds);
            ctx.Log($"  import pass {pass + 1}: {summary.RowsRead:N0} rows ({summary.ComplaintsCreated:N0} complaints, {summary.EventsWritten:N0} events, " +
                    $"{summary.Skipped:N0} skipped) in {seconds:N2} s: {summary.RowsRead / seconds:N0} rows/s");
        }
        var best = rates.Max();
        ctx.Report.Add(new BenchRow("8 import", $"CFPB sample ({rows:N0} rows), best of {passes}", best, "rows/s",
            "read and map only", parse, MartenDirectStep.Ratio(best, parse),
            Note: $"passes: {string.Join(", ", rates.Select(r => r.ToString("N0")))} rows/s"));
    }

    private static double ParseRate(string file)
    {
        // Twice: the first pass warms the file cache and the code.
        double rate = 0;
        for (var i = 0; i < 2; i++)
        {
            var watch = Stopwatch.StartNew();
            using var reader = new StreamReader(file);
            var n = ComplaintImporter.Rows(ComplaintImporter.Format("cfpb"), reader).Count();
            rate = n / watch.Elapsed.TotalSeconds;
        }
        return rate;
    }

    public static string? Find(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given)) return File.Exists(given) ? Path.GetFullPath(given) : null;
        var root = BenchSuite.RepositoryRoot();
        var beside = root is null ? null : Path.Combine(Path.GetDirectoryName(root)!, "shared", "data", SampleFile);
        return beside is not null && File.Exists(beside) ? beside : null;
    }
}

using Complaints.Api.CommandLine;
using Complaints.Domain;
using JasperFx.CommandLine;
using Marten;
using Spectre.Console;

namespace Complaints.Api.Importing;

public sealed class ImportInput : NetCoreInput
{
    [Description("The export's format: cfpb (CFPB consumer complaints) or nyc311 (NYC 311 service requests)")]
    public string Format = "";

    [Description("The CSV file to import")]
    public string File = "";

    [Description("Complaints appended per batch"), FlagAlias("batch-size", true)]
    public int BatchSizeFlag = ComplaintImporter.DefaultBatchSize;

    [Description("Read and decide every row and report what would be imported, writing nothing"), FlagAlias("dry-run", true)]
    public bool DryRunFlag;

    [Description("Write every bad row (line, source_id, reason, detail) to this CSV file"), FlagAlias("report", true)]
    public string? ReportFlag;
}

/// <summary>
/// dotnet run --project src/Complaints.Api -- import cfpb complaints.csv: history from another system, each row
/// one complaint with its lifecycle, dated from the row. Importing the same file again records nothing new.
/// </summary>
[Description("Imports complaints from another system's CSV export (cfpb, nyc311)", Name = "import")]
public sealed class ImportCommand : CommandWithOwnOutput<ImportInput>
{
    public ImportCommand()
    {
        Usage("Import a CSV export").Arguments(x => x.Format, x => x.File);
    }

    protected override async Task<bool> Run(ImportInput input)
    {
        // The application's own host, built and not started: no endpoints, no daemon, just its store and settings.
        var host = input.BuildHost();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await Run(host.Services, input, AnsiConsole.Console, cancel.Token);
    }

    /// <summary>The command's work against a given host's services, so that tests run it against theirs.</summary>
    public static async Task<bool> Run(IServiceProvider services, ImportInput input, IAnsiConsole console, CancellationToken ct)
    {
        if (input.BatchSizeFlag < 1)
        {
            ImportConsole.Plain(console, $"--batch-size must be at least 1, not {input.BatchSizeFlag}");
            return false;
        }
        var importer = new ComplaintImporter(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<ComplaintPolicies>(),
            services.GetRequiredService<TimeProvider>())
        {
            BatchSize = input.BatchSizeFlag,
            DryRun = input.DryRunFlag,
            ReportPath = string.IsNullOrWhiteSpace(input.ReportFlag) ? null : input.ReportFlag,
        };
        try
        {
            var format = ComplaintImporter.Format(input.Format);
            var summary = await ImportConsole.WithProgress(console, $"{format.Name} {Path.GetFileName(input.File)}",
                progress => importer.ImportFileAsync(format.Name, input.File, progress, ct));
            ImportConsole.WriteSummary(console, summary, AnalyticsNote(summary));
            if (importer.ReportPath is { } report && summary.BadRowCount > 0)
                ImportConsole.Plain(console, $"Every bad row is in {report}.");
            return true;
        }
        catch (ImportFailed e)
        {
            ImportConsole.Plain(console, $"Nothing imported: {e.Message}");
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            ImportConsole.Plain(console, "Import stopped. The batches stored so far stay; importing the file again adds only the rest.");
            return false;
        }
    }

    internal static string? AnalyticsNote(ImportSummary summary) => summary.EventsWritten == 0 || summary.DryRun
        ? null
        : "The case details are up to date now; the analytics (schema analytics, /api/analytics/…) are filled by the API's " +
          "projection daemon, which projects these events when the API runs.";
}

using Complaints.Api.CommandLine;
using Complaints.Domain;
using JasperFx.CommandLine;
using Marten;
using Spectre.Console;

namespace Complaints.Api.Importing;

public sealed class SeedDemoInput : NetCoreInput
{
    [Description("How many complaints to seed"), FlagAlias("complaints", true)]
    public int ComplaintsFlag = 500;

    [Description("The random seed: the same seed gives the same population"), FlagAlias("seed", true)]
    public int SeedFlag = 2026;
}

/// <summary>
/// dotnet run --project src/Complaints.Api -- seed-demo [--complaints 500]: a demo population over the last six months
/// (see <see cref="DemoPopulation"/>), through the import pipeline. Seeding again with the same seed adds nothing.
/// </summary>
[Description("Seeds a realistic demo population of complaints over the last six months", Name = "seed-demo")]
public sealed class SeedDemoCommand : CommandWithOwnOutput<SeedDemoInput>
{
    protected override async Task<bool> Run(SeedDemoInput input)
    {
        var host = input.BuildHost();
        return await Run(host.Services, input, AnsiConsole.Console, CancellationToken.None);
    }

    public static async Task<bool> Run(IServiceProvider services, SeedDemoInput input, IAnsiConsole console, CancellationToken ct)
    {
        if (input.ComplaintsFlag is < 1 or > 1_000_000)
        {
            ImportConsole.Plain(console, $"--complaints must be between 1 and 1000000, not {input.ComplaintsFlag}");
            return false;
        }
        var summary = await Seed(services, input.ComplaintsFlag, input.SeedFlag, console, ct);
        ImportConsole.WriteSummary(console, summary, ImportCommand.AnalyticsNote(summary));
        if (summary.ComplaintsCreated == 0 && summary.AlreadyImported > 0)
            ImportConsole.Plain(console, $"The demo population of seed {input.SeedFlag} is there already; nothing was added.");
        return summary.BadRowCount == 0;
    }

    public static Task<ImportSummary> Seed(IServiceProvider services, int complaints, int seed, IAnsiConsole console, CancellationToken ct)
    {
        var policies = services.GetRequiredService<ComplaintPolicies>();
        var clock = services.GetRequiredService<TimeProvider>();
        var importer = new ComplaintImporter(services.GetRequiredService<IDocumentStore>(), policies, clock);
        var rows = DemoPopulation.Rows(complaints, seed, clock.GetUtcNow(), policies);
        return ImportConsole.WithProgress(console, $"demo population (seed {seed})",
            progress => importer.ImportAsync(DemoPopulation.Source, rows, progress, null, ct));
    }
}

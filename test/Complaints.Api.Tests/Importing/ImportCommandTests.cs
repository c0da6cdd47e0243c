using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using JasperFx.CommandLine;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>The command line: `import FORMAT FILE` and `seed-demo`, run against the test host as Program.cs runs them against the API's.</summary>
// Imports add open cases dated years back, which move the analytics tests' backlog figures: never at the same time.
[Collection("AnalyticsTests")]
public sealed class ImportCommandTests(ApiFixture fixture)
{
    private const string CfpbHeader =
        "date_received,product,sub_product,issue,sub_issue,consumer_complaint_narrative,company_public_response,company,state,zipcode,tags," +
        "consumer_consent_provided,submitted_via,date_sent_to_company,company_response_to_consumer,timely_response,consumer_disputed?,complaint_id";

    [Fact]
    public void the_command_line_names_the_format_the_file_and_the_batch_size()
    {
        var factory = new CommandFactory();
        factory.RegisterCommand<ImportCommand>();
        factory.RegisterCommand<SeedDemoCommand>();

        var import = factory.BuildRun(["import", "nyc311", "requests.csv", "--batch-size", "50"]).Input.ShouldBeOfType<ImportInput>();
        (import.Format, import.File, import.BatchSizeFlag).ShouldBe(("nyc311", "requests.csv", 50));
        var plain = factory.BuildRun(["import", "cfpb", "c.csv"]).Input.ShouldBeOfType<ImportInput>();
        (plain.BatchSizeFlag, plain.DryRunFlag, plain.ReportFlag).ShouldBe((ComplaintImporter.DefaultBatchSize, false, null));
        var dry = factory.BuildRun(["import", "cfpb", "c.csv", "--dry-run", "--report", "bad.csv"]).Input.ShouldBeOfType<ImportInput>();
        (dry.DryRunFlag, dry.ReportFlag).ShouldBe((true, "bad.csv"));

        var seed = factory.BuildRun(["seed-demo", "--complaints", "40", "--seed", "7"]).Input.ShouldBeOfType<SeedDemoInput>();
        (seed.ComplaintsFlag, seed.SeedFlag).ShouldBe((40, 7));
    }

    [Fact]
    public async Task the_import_command_imports_the_file_and_prints_the_summary_with_the_notes_and_the_bad_rows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cfpb-cli-{Guid.NewGuid():N}.csv");
        var file = new CsvFile(CfpbHeader);
        file.Add("6/1/2010,Mortgage,,Escrow,,,,Ocwen,TX,75001,,,Web,6/3/2010,Closed with explanation,Yes,No,9300001");
        var backwards = file.Add("6/2/2010,Mortgage,,Escrow,,,,Ocwen,TX,75001,,,Web,6/1/2010,Closed with explanation,Yes,No,9300002");
        file.Add("6/4/2010,Credit card,,Fees,,,,Discover,TX,75001,,,Phone,6/4/2010,Closed with monetary relief,Yes,Yes,9300003");
        var unreadable = file.Add("6/31/2010,Credit card,,Fees,,,,Discover,TX,75001,,,Phone,6/4/2010,Closed with monetary relief,Yes,Yes,9300004");
        await File.WriteAllTextAsync(path, file.Text, TestContext.Current.CancellationToken);
        try
        {
            // As `dotnet run -- import cfpb FILE` runs it, with the test host in place of the application's: every readable
            // row goes in, the one that runs backwards as dated and noted, and the summary lists the note and the bad row.
            var (console, output) = CapturedConsole();
            (await ImportCommand.Run(fixture.Host.Services, new ImportInput { Format = "cfpb", File = path }, console, CancellationToken.None))
                .ShouldBeTrue();
            (await Count(fixture, "select count(*) from complaints.mt_streams where id = any(@ids)",
                ("ids", Ids("cfpb", ["9300001", "9300002", "9300003"])))).ShouldBe(3);
            var text = output.ToString();
            text.ShouldMatch(@"complaints created\s+3");
            text.ShouldMatch(@"with data-quality notes\s+1");
            text.ShouldMatch(@"StepsOutOfOrder\s+1");
            text.ShouldContain($"line {backwards} (id 9300002): StepsOutOfOrder: assign at ");
            text.ShouldContain("[date_received = 6/2/2010, date_sent_to_company = 6/1/2010]");
            text.ShouldMatch(@"unreadable date_received\s+1");
            text.ShouldContain($"line {unreadable} (id 9300004): unreadable date_received");

            // Again, through Execute: nothing new.
            var input = new ImportInput { Format = "cfpb", File = path, HostBuilder = new ExistingHost(fixture.Host) };
            (await new ImportCommand().Execute(input)).ShouldBeTrue();
            (await Count(fixture, "select count(*) from complaints.mt_events where stream_id = any(@ids)",
                ("ids", Ids("cfpb", ["9300001", "9300002", "9300003"])))).ShouldBe(6 + 7 + 6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task a_dry_run_of_the_command_prints_what_would_be_imported_and_the_columns_ignored_and_stores_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cfpb-dry-{Guid.NewGuid():N}.csv");
        var file = new CsvFile("Branch," + SourceRowsTests.PublishedCfpbHeader);
        file.Add("Newark,2010-06-01,Mortgage,,Escrow,,,,Ocwen,TX,75001,,,Web,2010-06-03,Closed with explanation,Yes,No,9300101");
        var backwards = file.Add("Newark,2010-06-02,Mortgage,,Escrow,,,,Ocwen,TX,75001,,,Web,2010-06-01,Closed with explanation,Yes,No,9300102");
        var unreadable = file.Add("Newark,someday,Mortgage,,Escrow,,,,Ocwen,TX,75001,,,Web,2010-06-01,Closed with explanation,Yes,No,9300103");
        await File.WriteAllTextAsync(path, file.Text, TestContext.Current.CancellationToken);
        try
        {
            var (console, output) = CapturedConsole();
            (await ImportCommand.Run(fixture.Host.Services, new ImportInput { Format = "cfpb", File = path, DryRunFlag = true }, console,
                CancellationToken.None)).ShouldBeTrue();

            var text = output.ToString();
            text.ShouldContain("Dry run of an import cfpb");
            text.ShouldMatch(@"complaints created \(would be\)\s+2");
            text.ShouldMatch(@"with data-quality notes \(would be\)\s+1");
            text.ShouldMatch(@"events written \(would be\)\s+13");
            text.ShouldContain("Dry run: nothing was written");
            text.ShouldContain("Columns ignored (the format does not know them): Branch");
            text.ShouldContain($"line {unreadable} (id 9300103): unreadable date_received");
            text.ShouldContain($"line {backwards} (id 9300102): StepsOutOfOrder");
            (await Count(fixture, "select count(*) from complaints.mt_streams where id = any(@ids)", ("ids", Ids("cfpb", ["9300101", "9300102", "9300103"]))))
                .ShouldBe(0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task the_import_command_refuses_a_missing_file_or_an_unknown_format_without_importing()
    {
        var (console, output) = CapturedConsole();
        (await ImportCommand.Run(fixture.Host.Services, new ImportInput { Format = "cfpb", File = "/nonexistent/complaints.csv" }, console,
            CancellationToken.None)).ShouldBeFalse();
        (await ImportCommand.Run(fixture.Host.Services, new ImportInput { Format = "excel", File = "x.csv" }, console, CancellationToken.None))
            .ShouldBeFalse();
        output.ToString().ShouldContain("Nothing imported: no file /nonexistent/complaints.csv");
        output.ToString().ShouldContain("Nothing imported: unknown format 'excel'; the formats are cfpb, nyc311");

        var path = Path.Combine(Path.GetTempPath(), $"cfpb-report-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, new CsvFile(CfpbHeader).Text, TestContext.Current.CancellationToken);
        try
        {
            (await ImportCommand.Run(fixture.Host.Services, new ImportInput { Format = "cfpb", File = path, ReportFlag = "/nonexistent/bad-rows.csv" },
                console, CancellationToken.None)).ShouldBeFalse();
            output.ToString().ShouldContain("Nothing imported: cannot write the report /nonexistent/bad-rows.csv");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task seed_demo_makes_a_varied_population_over_the_last_six_months_once()
    {
        const int complaints = 300;
        const int seed = 4242;
        var (console, output) = CapturedConsole();
        (await SeedDemoCommand.Run(fixture.Host.Services, new SeedDemoInput { ComplaintsFlag = complaints, SeedFlag = seed }, console,
            CancellationToken.None)).ShouldBeTrue();
        output.ToString().ShouldMatch($@"complaints created\s+{complaints}");

        // Seeding again adds nothing.
        var (again, againOutput) = CapturedConsole();
        (await SeedDemoCommand.Run(fixture.Host.Services, new SeedDemoInput { ComplaintsFlag = complaints, SeedFlag = seed }, again,
            CancellationToken.None)).ShouldBeTrue();
        againOutput.ToString().ShouldContain($"The demo population of seed {seed} is there already; nothing was added.");

        await Projected(fixture);
        var ids = Ids(DemoPopulation.Source, Enumerable.Range(0, complaints).Select(n => $"{seed}-{n}"));
        var cases = await Sql(fixture,
            "select status, close_reason, re_review_rounds, escalations, escalated_to_higher_level_at, mediation_outcome, returns, " +
            "first_contact, received_at, channel, category, department from analytics.complaint_cases where complaint_id = any(@ids)",
            ("ids", ids));
        cases.Count.ShouldBe(complaints);
        cases.ShouldAllBe(c => (DateTime)c["received_at"]! > DateTime.UtcNow.AddDays(-183) && (DateTime)c["received_at"]! <= DateTime.UtcNow);
        cases.Select(c => c["channel"]).Distinct().Count().ShouldBe(5);
        cases.Select(c => c["category"]).Distinct().Count().ShouldBeGreaterThan(5);
        cases.ShouldContain(c => (string?)c["close_reason"] == "Satisfied");
        cases.ShouldContain(c => (string?)c["close_reason"] == "Declined");
        cases.ShouldContain(c => (string?)c["close_reason"] == "Withdrawn");
        cases.ShouldContain(c => (int)c["re_review_rounds"]! == 1);
        cases.ShouldContain(c => (int)c["re_review_rounds"]! == 2);
        cases.ShouldContain(c => c["escalated_to_higher_level_at"] != null);
        cases.ShouldContain(c => (int)c["escalations"]! > 0);
        cases.ShouldContain(c => (string?)c["mediation_outcome"] == "Agreement");
        cases.ShouldContain(c => (int)c["returns"]! > 0);
        cases.ShouldContain(c => (bool)c["first_contact"]!);
        cases.ShouldContain(c => (string)c["status"]! != "Closed" && (string)c["status"]! != "Archived", "some still open");
        (await Count(fixture, "select count(*) from analytics.follow_ups where complaint_id = any(@ids)", ("ids", ids))).ShouldBeGreaterThan(100);
    }
}

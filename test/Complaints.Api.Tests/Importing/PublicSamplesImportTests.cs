using System.Globalization;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// The three public samples beside the repository (../shared/data: US CFPB complaints of 2013 with dispute flags, NYC 311
/// requests of 2013-12-25 and 2022-05-01), imported into the real PostgreSQL, every row of them: none is skipped, and the
/// rows whose history breaks a rule for live commands are imported as they say, with a data-quality note. The expected
/// figures are worked out from the CSV here, with a reader of the test's own, over a database of this class's own. The files are not part of the repository: a fresh clone elsewhere has
/// no ../shared, and then this test says that it skipped.
/// </summary>
// Each of these classes starts a host over a database of its own: one at a time.
[Collection("AnalyticsTests")]
public sealed class PublicSamplesImportTests(OwnDatabase<PublicSamplesImportTests> fixture) : IClassFixture<OwnDatabase<PublicSamplesImportTests>>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static string DataFolder()
    {
        var folder = Path.GetFullPath(Path.Combine(TestDatabase.RepositoryRoot(), "..", "shared", "data"));
        if (!Directory.Exists(folder))
            Assert.Skip("../shared/data is not present (a fresh clone has none): skipping the import of the public samples");
        return folder;
    }

    [Fact]
    public async Task the_public_cfpb_and_nyc311_samples_import_with_the_figures_their_rows_imply()
    {
        var folder = DataFolder();
        var cfpbPath = Path.Combine(folder, "cfpb_consumer_complaints_2013_sample.csv");
        var nycPaths = new[] { "nyc311_sample_2013-12-25.csv", "nyc311_sample_2022-05-01.csv" }.Select(f => Path.Combine(folder, f)).ToArray();

        // The three files side by side: their natural keys never meet.
        var files = nycPaths.Select(path => (Format: "nyc311", Path: path)).Prepend((Format: "cfpb", Path: cfpbPath)).ToList();
        var summaries = await Task.WhenAll(files.Select(f =>
            Task.Run(() => Importer(fixture).ImportFileAsync(f.Format, f.Path, ct: TestContext.Current.CancellationToken))));
        await Projected(fixture);

        await CfpbFigures(ReadCsv(cfpbPath), summaries[0]);
        for (var i = 0; i < nycPaths.Length; i++) await NycFigures(ReadCsv(nycPaths[i]), summaries[i + 1]);
    }

    private static DateTime Day(string text) => DateTime.ParseExact(text, "M/d/yyyy", CultureInfo.InvariantCulture);

    private async Task CfpbFigures(List<Dictionary<string, string>> rows, ImportSummary summary)
    {
        // The sample's quirk: some rows were sent to the company the day before they were received. A live command dated
        // before the previous step is refused; these are history, imported as dated, each with one note.
        var backwards = rows.Where(r => Day(r["date_sent_to_company"]) < Day(r["date_received"])).ToList();
        var imported = rows;
        summary.RowsRead.ShouldBe(rows.Count);
        summary.ComplaintsCreated.ShouldBe(rows.Count);
        summary.BadRows.ShouldBeEmpty();
        summary.ComplaintsNoted.ShouldBe(backwards.Count);
        summary.AnomaliesNoted.ShouldBe(new Dictionary<Domain.SourceAnomaly, long> { [Domain.SourceAnomaly.StepsOutOfOrder] = backwards.Count });
        var noted = await Sql(fixture, "select complaint_id from analytics.complaint_cases where complaint_id = any(@ids) and source_anomalies = 1",
            ("ids", Ids("cfpb", rows.Select(r => r["complaint_id"]))));
        noted.Select(r => (Guid)r["complaint_id"]!).ShouldBe(Ids("cfpb", backwards.Select(r => r["complaint_id"])), ignoreOrder: true);

        var ids = Ids("cfpb", imported.Select(r => r["complaint_id"]));
        bool Resolved(Dictionary<string, string> r) => r["company_response_to_consumer"].StartsWith("Closed");
        var followedUp = imported.Where(r => Resolved(r) && r["consumer_disputed?"] != "").ToList();
        var disputed = followedUp.Count(r => r["consumer_disputed?"] == "Yes");

        // Disputes are unsatisfied follow-ups, each opening a re-review.
        var satisfaction = (await Sql(fixture,
            "select count(*) as rated, count(*) filter (where satisfied) as satisfied, count(*) filter (where not satisfied and score = 2) as disputed " +
            "from analytics.follow_ups where complaint_id = any(@ids)", ("ids", ids))).Single();
        satisfaction["rated"].ShouldBe((long)followedUp.Count);
        satisfaction["satisfied"].ShouldBe((long)(followedUp.Count - disputed));
        satisfaction["disputed"].ShouldBe((long)disputed);
        (await Count(fixture, "select count(*) from analytics.re_reviews where complaint_id = any(@ids) and round = 1", ("ids", ids)))
            .ShouldBe(disputed);

        // The same through the endpoint: no other data has follow-ups in 2013 or January 2014.
        var endpoint = (await Get(fixture, "/api/analytics/satisfaction?from=2013-01-01&to=2014-02-01")).AsArray().Single()!;
        endpoint["rated"]!.GetValue<long>().ShouldBe(followedUp.Count);
        endpoint["satisfactionRate"]!.GetValue<double>().ShouldBe(Round4((double)(followedUp.Count - disputed) / followedUp.Count));
        endpoint["reReviewRate"]!.GetValue<double>().ShouldBe(Round4((double)disputed / followedUp.Count));
        var notedFollowUps = followedUp.Intersect(backwards).ToList();
        var notedEndpoint = (await Get(fixture, "/api/analytics/satisfaction?from=2013-01-01&to=2014-02-01&quality=noted")).AsArray().Single()!;
        notedEndpoint["rated"]!.GetValue<long>().ShouldBe(notedFollowUps.Count);
        notedEndpoint["satisfied"]!.GetValue<long>().ShouldBe(notedFollowUps.Count(r => r["consumer_disputed?"] == "No"));

        // Timely responses as the share of resolution promises kept.
        var promises = (await Sql(fixture,
            "select count(*) as due, count(*) filter (where first_resolved_at <= due_at) as met from analytics.complaint_cases " +
            "where complaint_id = any(@ids) and due_at is not null", ("ids", ids))).Single();
        var due = imported.Where(r => r["timely_response"] != "" && (Resolved(r) || r["timely_response"] == "No")).ToList();
        promises["due"].ShouldBe((long)due.Count);
        promises["met"].ShouldBe((long)due.Count(r => Resolved(r) && r["timely_response"] == "Yes"));

        // Cases by product, as the CFPB counts them.
        var byCategory = (await Sql(fixture,
                "select category, count(*) as n from analytics.complaint_cases where complaint_id = any(@ids) group by category", ("ids", ids)))
            .ToDictionary(r => (string)r["category"]!, r => (long)r["n"]!);
        byCategory.ShouldBe(imported.GroupBy(r => r["product"]).ToDictionary(g => g.Key, g => (long)g.Count()), ignoreOrder: true);

        // Days from receipt to the company's response: the resolution is dated at noon of date_sent_to_company.
        var median = (await Sql(fixture,
            "select percentile_cont(0.5) within group (order by extract(epoch from first_resolved_at - received_at) / 3600) as median " +
            "from analytics.complaint_cases where complaint_id = any(@ids)", ("ids", ids))).Single()["median"];
        Convert.ToDouble(median).ShouldBe(Percentile(imported.Where(Resolved)
            .Select(r => (Day(r["date_sent_to_company"]) - Day(r["date_received"])).TotalHours + 12), 0.5), 1e-9);
    }

    private async Task NycFigures(List<Dictionary<string, string>> rows, ImportSummary summary)
    {
        DateTime? Time(string text) => text == ""
            ? null
            : TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(text, "MM/dd/yyyy hh:mm:ss tt", CultureInfo.InvariantCulture), NewYork);

        // The Status says whether a request was closed. The 2013 sample has requests Pending or Assigned beside a Closed
        // Date (kept open, noted), one of them dated two months before its creation.
        var imported = rows;
        var closed = rows.Where(r => r["Status"] == "Closed").ToList();
        var backwards = closed.Where(r => Time(r["Closed Date"]) < Time(r["Created Date"])).ToList();
        var disagreeing = rows.Where(r => r["Status"] == "Closed" != (r["Closed Date"] != "")).ToList();
        summary.RowsRead.ShouldBe(rows.Count);
        summary.ComplaintsCreated.ShouldBe(rows.Count);
        summary.BadRows.ShouldBeEmpty();
        summary.AnomaliesNoted.GetValueOrDefault(Domain.SourceAnomaly.StepsOutOfOrder).ShouldBe(backwards.Count);
        summary.AnomaliesNoted.GetValueOrDefault(Domain.SourceAnomaly.ColumnsDisagree).ShouldBe(disagreeing.Count);
        summary.AnomaliesNoted.Values.Sum().ShouldBe(backwards.Count + disagreeing.Count);

        var ids = Ids("nyc311", imported.Select(r => r["Unique Key"]));
        var statuses = (await Sql(fixture,
                "select status, count(*) as n from analytics.complaint_cases where complaint_id = any(@ids) group by status", ("ids", ids)))
            .ToDictionary(r => (string)r["status"]!, r => (long)r["n"]!);
        statuses.GetValueOrDefault("Closed").ShouldBe(closed.Count);
        statuses.GetValueOrDefault("Assigned").ShouldBe(imported.Count - closed.Count);

        var byDepartment = (await Sql(fixture,
                "select department, count(*) as n from analytics.complaint_cases where complaint_id = any(@ids) group by department", ("ids", ids)))
            .ToDictionary(r => (string)r["department"]!, r => (long)r["n"]!);
        byDepartment.ShouldBe(imported.GroupBy(r => r["Agency"]).ToDictionary(g => g.Key, g => (long)g.Count()), ignoreOrder: true);

        var hours = closed.Select(r => ((Time(r["Closed Date"]) ?? Time(r["Created Date"]))!.Value - Time(r["Created Date"])!.Value).TotalHours).ToList();
        var figures = (await Sql(fixture,
            "select percentile_cont(0.5) within group (order by extract(epoch from closed_at - received_at) / 3600) as median, " +
            "count(*) filter (where due_at is not null) as due, count(*) filter (where due_at is not null and first_resolved_at <= due_at) as met " +
            "from analytics.complaint_cases where complaint_id = any(@ids)", ("ids", ids))).Single();
        Convert.ToDouble(figures["median"]).ShouldBe(Percentile(hours, 0.5), 1e-6);
        var due = imported.Where(r => r["Due Date"] != "").ToList();
        figures["due"].ShouldBe((long)due.Count);
        figures["met"].ShouldBe((long)due.Count(r => r["Status"] == "Closed" && r["Closed Date"] != "" && Time(r["Closed Date"]) <= Time(r["Due Date"])));

        if (rows[0].ContainsKey("Open Data Channel Type"))
        {
            var byChannel = (await Sql(fixture,
                    "select channel, count(*) as n from analytics.complaint_cases where complaint_id = any(@ids) group by channel", ("ids", ids)))
                .ToDictionary(r => (string)r["channel"]!, r => (long)r["n"]!);
            byChannel.ShouldBe(imported.GroupBy(r => r["Open Data Channel Type"] is "ONLINE" or "MOBILE" ? "Online" : "Phone")
                .ToDictionary(g => g.Key, g => (long)g.Count()), ignoreOrder: true);
        }
    }
}

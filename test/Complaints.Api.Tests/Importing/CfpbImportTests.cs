using Complaints.Domain;
using System.Text.Json.Nodes;
using System.Globalization;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// A small CFPB export written here, with the sample's quirks (M/D/YYYY dates, ZIP codes without their leading zero,
/// empty values, a quoted narrative over two lines, CRLF line ends), rows whose history breaks a rule or holds values the
/// mapping does not know (imported as they say, and noted) and unreadable rows, imported into the real PostgreSQL. Every
/// expected figure is worked out below from the rows themselves. Its complaints are received in 2011, into a database of
/// this class's own, so the analytics endpoints can be asserted for that year: the clean rows' figures with quality=clean.
/// </summary>
// Each of these classes starts a host over a database of its own: one at a time.
[Collection("AnalyticsTests")]
public sealed class CfpbImportTests(OwnDatabase<CfpbImportTests> fixture) : IClassFixture<OwnDatabase<CfpbImportTests>>
{
    private const string Header =
        "date_received,product,sub_product,issue,sub_issue,consumer_complaint_narrative,company_public_response,company,state,zipcode,tags," +
        "consumer_consent_provided,submitted_via,date_sent_to_company,company_response_to_consumer,timely_response,consumer_disputed?,complaint_id";

    private const string Year = "from=2011-01-01&to=2012-01-01";

    private sealed record Row(string Id, string Received, string Product, string Company, string Via, string Sent, string Response,
        string Timely, string Disputed, string Zip = "10001", string Narrative = "")
    {
        public string Csv => Line(Received, Product, "", "Billing dispute", "", Narrative, "", Company, Zip == "8512" ? "NJ" : "NY", Zip, "", "",
            Via, Sent, Response, Timely, Disputed, Id);

        public static DateTime Date(string text) => DateTime.ParseExact(text, "M/d/yyyy", CultureInfo.InvariantCulture);
        public bool Resolved => Response.StartsWith("Closed");
        public bool FollowedUp => Resolved && Disputed != "";
        public double HoursToResolution => (Date(Sent) - Date(Received)).TotalHours + 12; // resolved at noon of date_sent_to_company

        /// <summary>Received, accepted; assigned; resolved; the follow-up and what it decides (closed or re-review).</summary>
        public int Events => 2 + (Sent == "" ? 0 : 1) + (Resolved ? 1 : 0) + (FollowedUp ? 2 : 0);
    }

    private static readonly Row[] Good =
    [
        new("9100001", "3/1/2011", "Mortgage", "Wells Fargo & Company", "Web", "3/3/2011", "Closed with explanation", "Yes", "Yes", Zip: "8512"),
        new("9100002", "3/1/2011", "Credit card", "Capital One", "Phone", "3/1/2011", "Closed with monetary relief", "Yes", "No"),
        new("9100003", "3/2/2011", "Debt collection", "Navient Solutions, Inc.", "Postal mail", "3/9/2011", "Closed with non-monetary relief", "No", "No"),
        new("9100004", "3/5/2011", "Mortgage", "Ocwen", "Referral", "3/10/2011", "Closed", "Yes", "Yes"),
        new("9100005", "3/7/2011", "Bank account or service", "Bank of America", "Fax", "3/8/2011", "Closed with explanation", "Yes", ""),
        new("9100006", "3/8/2011", "Student loan", "Sallie Mae", "Email", "3/20/2011", "Untimely response", "No", "No"),
        new("9100007", "3/9/2011", "Credit reporting", "Equifax", "Web", "3/9/2011", "Closed with explanation", "Yes", "No",
            Narrative: "They reported a \"late\" payment, twice,\nand never answered my letter."),
        new("9100008", "3/10/2011", "Consumer Loan", "Wells Fargo & Company", "Web", "3/14/2011", "Closed with explanation", "No", "Yes"),
        new("9100009", "4/2/2011", "Mortgage", "U.S. Bancorp", "Phone", "4/5/2011", "In progress", "", ""),
        new("9100010", "4/15/2011", "Money transfers", "Western Union", "Web", "", "", "", ""),
    ];

    /// <summary>Rows imported as they say, each with the anomalies noted on it, the status it ends in, and the events it records.</summary>
    private static readonly (Row Row, SourceAnomaly[] Anomalies, string Status, int Events)[] Noted =
    [
        // Sent to the company the day before it was received: assigned, resolved at the source's times, noted once.
        (new("9100101", "3/12/2011", "Mortgage", "Ocwen", "Web", "3/11/2011", "Closed with explanation", "Yes", "No"),
            [SourceAnomaly.StepsOutOfOrder], "Closed", 7),
        (new("9100104", "3/15/2011", "Mortgage", "Ocwen", "Carrier pigeon", "3/16/2011", "Closed", "Yes", "No"), [SourceAnomaly.UnknownValue], "Closed", 7),
        (new("9100105", "3/16/2011", "Mortgage", "Ocwen", "Web", "3/17/2011", "Closed with a shrug", "Yes", ""), [SourceAnomaly.UnknownValue], "Assigned", 4),
        (new("9100106", "3/17/2011", "Mortgage", "Ocwen", "Web", "3/18/2011", "Closed with explanation", "Maybe", "No"),
            [SourceAnomaly.UnreadableValue], "Closed", 7),
        (new("9100107", "3/18/2011", "Mortgage", "", "Web", "3/19/2011", "Closed with explanation", "Yes", ""), [SourceAnomaly.MissingValue], "Resolved", 5),
        // A response without the date it was sent: resolved on the day received, without an assignment.
        (new("9100108", "3/19/2011", "Mortgage", "Ocwen", "Web", "", "Closed with explanation", "Yes", "No"), [SourceAnomaly.MissingValue], "Closed", 6),
        (new("9100109", "3/20/2011", "Mortgage", "Ocwen", "Web", "3/40/2011", "Closed with explanation", "Yes", ""),
            [SourceAnomaly.UnreadableValue, SourceAnomaly.MissingValue], "Resolved", 5),
    ];

    /// <summary>The file: good rows and broken ones interleaved, with the line and reason each broken one must be reported with.</summary>
    private static (string Text, List<(int Line, string Reason)> Broken) File()
    {
        var file = new CsvFile(Header, "\r\n");
        var broken = new List<(int, string)>();
        for (var i = 0; i < Good.Length; i++)
        {
            file.Add(Good[i].Csv);
            switch (i)
            {
                case 1:
                    file.Add(Noted[0].Row.Csv);
                    break;
                case 3:
                    broken.Add((file.Add(new Row("9100102", "31/12/2011", "Mortgage", "Ocwen", "Web", "1/2/2012", "Closed", "Yes", "No").Csv),
                        "unreadable date_received"));
                    broken.Add((file.Add("3/14/2011,Mortgage,,Billing dispute,,,,Ocwen,NY,10001"), "wrong number of fields"));
                    break;
                case 5:
                    foreach (var noted in Noted.Skip(1)) file.Add(noted.Row.Csv);
                    broken.Add((file.Add(new Row("", "3/15/2011", "Mortgage", "Ocwen", "Web", "3/16/2011", "Closed", "Yes", "No").Csv),
                        "missing complaint_id"));
                    break;
                case 7:
                    broken.Add((file.Add(Good[1].Csv), "repeated in the file"));
                    break;
            }
        }
        broken.Add((file.AddLast("3/20/2011,Mortgage,,\"a quote that is never closed,Ocwen"), "unreadable CSV"));
        return (file.Text, broken);
    }

    private async Task<ImportSummary> ImportOnce(string path)
    {
        var reports = new List<ImportProgress>();
        var summary = await Importer(fixture, batchSize: 4).ImportFileAsync("cfpb", path, new Reports(reports), TestContext.Current.CancellationToken);
        reports.ShouldNotBeEmpty();
        reports[^1].RowsRead.ShouldBe(summary.RowsRead);
        reports[^1].Position.ShouldBe(reports[^1].Length);
        return summary;
    }

    [Fact]
    public async Task a_cfpb_export_becomes_complaints_with_the_figures_its_rows_imply_and_a_second_import_changes_nothing()
    {
        var (text, broken) = File();
        var path = Path.Combine(Path.GetTempPath(), $"cfpb-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        try
        {
            var summary = await ImportOnce(path);

            summary.RowsRead.ShouldBe(Good.Length + Noted.Length + broken.Count);
            summary.ComplaintsCreated.ShouldBe(Good.Length + Noted.Length);
            summary.AlreadyImported.ShouldBe(0);
            summary.BadRows.Select(b => (b.Line, b.Reason)).ShouldBe(broken);
            summary.EventsWritten.ShouldBe(Good.Sum(r => r.Events) + Noted.Sum(n => n.Events));
            summary.ComplaintsNoted.ShouldBe(Noted.Length);
            summary.AnomaliesNoted.ShouldBe(Noted.SelectMany(n => n.Anomalies).GroupBy(a => a).ToDictionary(g => g.Key, g => (long)g.Count()),
                ignoreOrder: true);
            summary.NotedRows.Select(n => n.SourceId).Distinct().ShouldBe(Noted.Select(n => n.Row.Id));

            await Projected(fixture);
            var ids = Ids("cfpb", Good.Select(r => r.Id));
            var figures = await Figures(ids);
            await NotedAsTheSourceSays();

            // A second import finds every row there already and records nothing; the unreadable rows are reported again,
            // but for the repeat, which an earlier run stored too: it is already imported now.
            var again = await ImportOnce(path);
            again.ComplaintsCreated.ShouldBe(0);
            again.AlreadyImported.ShouldBe(Good.Length + Noted.Length + 1);
            again.EventsWritten.ShouldBe(0);
            again.BadRows.Select(b => (b.Line, b.Reason)).ShouldBe(broken.Where(b => b.Reason != ComplaintImporter.RepeatedInTheFile));
            await Projected(fixture);
            (await Figures(ids)).ShouldBe(figures);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>The imported cases' analytics as text, asserted against the rows on the way.</summary>
    private async Task<string> Figures(Guid[] ids)
    {
        var cases = await Sql(fixture,
            "select complaint_id, channel, category, department, status, close_reason, first_remedy, due_at, received_at " +
            "from analytics.complaint_cases where complaint_id = any(@ids) order by received_at, tracking_number", ("ids", ids));
        cases.Count.ShouldBe(Good.Length);
        var byId = cases.ToDictionary(c => (Guid)c["complaint_id"]!);
        foreach (var row in Good)
        {
            var c = byId[Ids("cfpb", [row.Id])[0]];
            c["channel"].ShouldBe(row.Via switch { "Web" => "Online", "Phone" => "Phone", "Email" => "Email", _ => "Letter" });
            c["category"].ShouldBe(row.Product);
            c["department"].ShouldBe(row.Sent == "" ? null : row.Company);
            ((DateTime)c["received_at"]!).ShouldBe(Row.Date(row.Received));
            c["status"].ShouldBe(row switch
            {
                { FollowedUp: true, Disputed: "Yes" } => "AwaitingReReview",
                { FollowedUp: true } => "Closed",
                { Resolved: true } => "Resolved",
                { Sent: not "" } => "Assigned",
                _ => "Accepted",
            });
            c["close_reason"].ShouldBe(row is { FollowedUp: true, Disputed: "No" } ? "Satisfied" : null);
            c["first_remedy"].ShouldBe(row.Resolved
                ? row.Response switch { "Closed with monetary relief" => "Compensation", "Closed with explanation" => "Explanation", _ => "Other" }
                : null);
        }
        // The location is the case's, kept from the analytics tables.
        (await Sql(fixture, "select data -> 'case' ->> 'location' as location from complaints.mt_doc_complaintdetails where id = @id",
            ("id", Ids("cfpb", ["9100001"])[0]))).Single()["location"].ShouldBe("NJ 08512");

        // Satisfaction in 2011: a dispute is an unsatisfied follow-up (score 2) that opens a re-review; no dispute a satisfied one (4).
        var followedUp = Good.Where(r => r.FollowedUp).ToList();
        var disputes = followedUp.Count(r => r.Disputed == "Yes");
        var satisfaction = (await Get(fixture, $"/api/analytics/satisfaction?{Year}&quality=clean")).AsArray().Single()!;
        satisfaction["rated"]!.GetValue<long>().ShouldBe(followedUp.Count);
        satisfaction["satisfied"]!.GetValue<long>().ShouldBe(followedUp.Count - disputes);
        satisfaction["meanScore"]!.GetValue<double>().ShouldBe(Round4((2.0 * disputes + 4.0 * (followedUp.Count - disputes)) / followedUp.Count));
        satisfaction["casesReReviewed"]!.GetValue<long>().ShouldBe(disputes);
        satisfaction["reReviewRate"]!.GetValue<double>().ShouldBe(Round4((double)disputes / followedUp.Count));

        // Cycle times: received → resolved in hours, and the share of timely responses as promise compliance.
        var cycle = await Get(fixture, $"/api/analytics/cycle-times?{Year}&quality=clean");
        var resolved = cycle["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "receivedToResolved")!;
        var hours = Good.Where(r => r.Resolved).Select(r => r.HoursToResolution).ToList();
        resolved["count"]!.GetValue<long>().ShouldBe(hours.Count);
        resolved["medianHours"]!.GetValue<double>().ShouldBe(Round4(Percentile(hours, 0.5)));
        resolved["p90Hours"]!.GetValue<double>().ShouldBe(Round4(Percentile(hours, 0.9)));
        var promise = cycle["promises"]!.AsArray().Single(p => p!["promise"]!.GetValue<string>() == "resolutionDue")!;
        var due = Good.Where(r => r.Timely != "" && (r.Resolved || r.Timely == "No")).ToList();
        promise["due"]!.GetValue<long>().ShouldBe(due.Count);
        promise["met"]!.GetValue<long>().ShouldBe(due.Count(r => r is { Resolved: true, Timely: "Yes" }));

        return string.Join("\n", cases.Select(c => string.Join(",", c.Values))) + satisfaction.ToJsonString() + cycle.ToJsonString();
    }

    /// <summary>Each noted row: its status as the source says, its notes on the case and in the analytics; the filter's counts.</summary>
    private async Task NotedAsTheSourceSays()
    {
        var api = new ComplaintsApi(fixture.Host, "auditor.import");
        foreach (var (row, anomalies, status, events) in Noted)
        {
            var id = Ids("cfpb", [row.Id])[0];
            var details = await api.Get(id);
            ComplaintsApi.Text(details["status"]).ShouldBe(status, row.Id);
            details["dataQualityNotes"]!.AsArray().Select(n => ComplaintsApi.Text(n!["anomaly"])).ShouldBe(anomalies.Select(a => a.ToString()), row.Id);
            var history = await api.History(id);
            history.Count.ShouldBe(events, row.Id);
            ComplaintsApi.Types(history).Count(t => t == "source_anomaly_noted").ShouldBe(anomalies.Length, row.Id);
            (await Count(fixture, "select source_anomalies from analytics.complaint_cases where complaint_id = @id", ("id", id))).ShouldBe(anomalies.Length);
        }

        // Sent before received: the assignment and the resolution keep the source's days, and the note quotes both columns.
        var backwards = await api.Get(Ids("cfpb", ["9100101"])[0]);
        ComplaintsApi.Time(backwards["assignedAt"]).ShouldBe(new DateTimeOffset(Row.Date("3/11/2011"), TimeSpan.Zero));
        ComplaintsApi.Time(backwards["resolvedAt"]).ShouldBe(new DateTimeOffset(Row.Date("3/11/2011"), TimeSpan.Zero).AddHours(12));
        var values = backwards["dataQualityNotes"]![0]!["sourceValues"]!.AsObject();
        values.Select(v => (v.Key, ComplaintsApi.Text(v.Value))).ShouldBe([("date_received", "3/12/2011"), ("date_sent_to_company", "3/11/2011")]);
        // A resolution without an assignment is the company's, not one at first contact.
        var unassigned = await api.Get(Ids("cfpb", ["9100108"])[0]);
        unassigned["assignedAt"].ShouldBeNull();
        unassigned["resolution"]!["firstContact"]!.GetValue<bool>().ShouldBeFalse();

        // The noted cases' follow-ups are counted with quality=noted, and everyone's without a filter.
        long Rated(JsonNode satisfaction) => satisfaction.AsArray().Sum(s => s!["rated"]!.GetValue<long>());
        var notedFollowUps = Noted.Count(n => n.Row.Disputed != "" && n.Status == "Closed");
        Rated(await Get(fixture, $"/api/analytics/satisfaction?{Year}&quality=noted")).ShouldBe(notedFollowUps);
        Rated(await Get(fixture, $"/api/analytics/satisfaction?{Year}")).ShouldBe(Good.Count(r => r.FollowedUp) + notedFollowUps);
    }

    [Fact]
    public async Task a_monetary_relief_is_a_compensation_whose_amount_the_cfpb_does_not_publish()
    {
        var file = new CsvFile(Header);
        file.Add(new Row("9100201", "5/2/2009", "Credit card", "Citibank", "Web", "5/4/2009", "Closed with monetary relief", "Yes", "No").Csv);
        var summary = await Importer(fixture).ImportAsync("cfpb", new StringReader(file.Text), ct: TestContext.Current.CancellationToken);
        summary.ComplaintsCreated.ShouldBe(1);

        var api = new ComplaintsApi(fixture.Host, "auditor.import");
        var id = Ids("cfpb", ["9100201"])[0];
        var details = await api.Get(id);
        ComplaintsApi.Text(details["status"]).ShouldBe("Closed");
        ComplaintsApi.Text(details["resolution"]!["remedy"]).ShouldBe("Compensation");
        details["resolution"]!["amount"].ShouldBeNull();
        var history = await api.History(id);
        ComplaintsApi.Types(history).ShouldBe(
            ["complaint_received", "complaint_accepted", "complaint_assigned", "complaint_resolved", "follow_up_recorded", "complaint_closed"]);
        history.ShouldAllBe(e => ComplaintsApi.Text(e!["user"]) == "import:cfpb");
        ComplaintsApi.Time(history[4]!["at"]).ShouldBe(new DateTimeOffset(2009, 5, 7, 12, 0, 0, TimeSpan.Zero), "three days after the resolution");
    }

    [Fact]
    public async Task a_file_that_is_not_the_format_named_is_refused_as_a_whole()
    {
        var e = await Should.ThrowAsync<ImportFailed>(() =>
            Importer(fixture).ImportAsync("cfpb", new StringReader("Unique Key,Created Date\n1,1/1/2011\n")));
        e.Message.ShouldContain("no column date_received");
        await Should.ThrowAsync<ImportFailed>(() => Importer(fixture).ImportAsync("cfpb", new StringReader("")));
        await Should.ThrowAsync<ImportFailed>(() => Importer(fixture).ImportAsync("xlsx", new StringReader(Header)));
    }

    private sealed class Reports(List<ImportProgress> reports) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reports.Add(value);
    }
}

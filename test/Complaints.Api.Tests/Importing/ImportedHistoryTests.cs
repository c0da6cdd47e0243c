using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// A case imported with history that breaks a rule for live commands: it reads as the source says, with its data-quality
/// note on the case details, the audit history and the case list; a live command breaking the same rule is still refused.
/// </summary>
public sealed class ImportedHistoryTests(ApiFixture fixture)
{
    private const string Header =
        "date_received,product,sub_product,issue,sub_issue,consumer_complaint_narrative,company_public_response,company,state,zipcode,tags," +
        "consumer_consent_provided,submitted_via,date_sent_to_company,company_response_to_consumer,timely_response,consumer_disputed?,complaint_id";

    // A trusted service, which may date steps back: only the order of the steps refuses what it sends.
    private readonly ComplaintsApi _service = new(fixture.Host, "service.archive");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task an_imported_step_dated_before_the_previous_one_is_kept_and_noted_and_the_same_step_live_is_refused()
    {
        // Sent to the company two days before the CFPB received it, and still in progress.
        var sourceId = $"q{Guid.NewGuid():N}";
        var file = new CsvFile(Header);
        file.Add(Line("5/10/2012", "Mortgage", "", "Escrow", "", "", "", "Ocwen", "TX", "75001", "", "", "Web", "5/8/2012", "In progress", "", "", sourceId));
        var summary = await Importer(fixture).ImportAsync("cfpb", new StringReader(file.Text), ct: TestContext.Current.CancellationToken);
        (summary.ComplaintsCreated, summary.ComplaintsNoted, summary.BadRows.Count).ShouldBe((1L, 1L, 0));
        var id = Ids("cfpb", [sourceId])[0];

        var details = await _auditor.Get(id);
        Text(details["status"]).ShouldBe("Assigned");
        Time(details["assignedAt"]).ShouldBe(new DateTimeOffset(2012, 5, 8, 0, 0, 0, TimeSpan.Zero));
        Time(details["lastStepAt"]).ShouldBe(new DateTimeOffset(2012, 5, 10, 0, 0, 0, TimeSpan.Zero));
        var note = details["dataQualityNotes"]!.AsArray().ShouldHaveSingleItem()!;
        Text(note["anomaly"]).ShouldBe("StepsOutOfOrder");
        Text(note["by"]).ShouldBe("import:cfpb");
        note["sourceValues"]!.AsObject().Select(v => (v.Key, Text(v.Value))).ShouldBe([("date_received", "5/10/2012"), ("date_sent_to_company", "5/8/2012")]);

        var history = await _auditor.History(id);
        Types(history).ShouldBe(["complaint_received", "complaint_accepted", "complaint_assigned", "source_anomaly_noted"]);
        Text(history[3]!["data"]!["anomaly"]).ShouldBe("StepsOutOfOrder");

        // The case list shows it where the source received it.
        var list = await Auditing.AuditSql.GetJson(fixture, "auditor.zhou", "/api/complaints?receivedFrom=2012-05-10&receivedTo=2012-05-11&pageSize=200");
        list["items"]!.AsArray().Select(i => Text(i!["id"])).ShouldContain(id.ToString());

        // The same kind of step given live, dated before the latest step, is refused as ever; the case stays as it was.
        var problem = await _service.Fails(id, "resolve",
            new { remedy = "Explanation", description = "explained", reply = "Explained.", at = "2012-05-08T12:00:00Z" }, HttpStatusCode.Conflict);
        Text(problem["rule"]).ShouldBe("before-previous-step");
        Int((await _auditor.Get(id))["version"]).ShouldBe(4);

        // Dated after it, the case goes on from the source's history.
        var resolved = await _service.Do(id, "resolve", new { remedy = "Explanation", description = "explained", reply = "Explained.", at = "2012-05-11T12:00:00Z" });
        Text(resolved["status"]).ShouldBe("Resolved");
        resolved["dataQualityNotes"]!.AsArray().Count.ShouldBe(1);

        // A lawful erasure takes the note's words, which quote the source, and keeps its code and the source's values.
        await new ComplaintsApi(fixture.Host, "admin.privacy").Do(id, "erase-personal-data", new { legalBasis = "PIPL art. 47" });
        var erased = (await _auditor.Get(id))["dataQualityNotes"]!.AsArray().ShouldHaveSingleItem()!;
        (Text(erased["anomaly"]), Text(erased["detail"]), Text(erased["sourceValues"]!["date_sent_to_company"])).ShouldBe(("StepsOutOfOrder", "[erased]", "5/8/2012"));
        Text((await _auditor.History(id)).Single(e => Text(e!["type"]) == "source_anomaly_noted")!["data"]!["detail"]).ShouldBe("[erased]");
    }

    [Fact]
    public async Task the_monthly_report_counts_all_cases_the_clean_ones_or_the_noted_ones()
    {
        // Received in July 1999, a month no other test uses: one clean request, one closed before it was created, one whose
        // Status disagrees with its Closed Date. The source ids are fixed, so a second run imports nothing new.
        var file = new CsvFile("Unique Key,Created Date,Closed Date,Agency,Complaint Type,Status,Due Date");
        file.Add(Line("7199901", "07/05/1999 09:00:00 AM", "07/06/1999 09:00:00 AM", "DOT", "Street Condition", "Closed", ""));
        file.Add(Line("7199902", "07/10/1999 09:00:00 AM", "07/08/1999 09:00:00 AM", "DOT", "Street Condition", "Closed", ""));
        file.Add(Line("7199903", "07/12/1999 09:00:00 AM", "07/13/1999 09:00:00 AM", "DOT", "Street Condition", "Pending", ""));
        await Importer(fixture).ImportAsync("nyc311", new StringReader(file.Text), ct: TestContext.Current.CancellationToken);
        await Projected(fixture);

        async Task<JsonNode> Report(string quality) =>
            await Auditing.AuditSql.GetJson(fixture, "analyst.import", $"/api/reports/monthly/1999-07{quality}");
        (long Received, long Closed) Flow(JsonNode report) =>
            (report["flow"]!["received"]!["thisMonth"]!.GetValue<long>(), report["flow"]!["closed"]!["thisMonth"]!.GetValue<long>());

        var all = await Report("");
        Flow(all).ShouldBe((3L, 2L));
        Text(all["quality"]).ShouldBe("All");
        var clean = await Report("?quality=clean");
        Flow(clean).ShouldBe((1L, 1L));
        Text(clean["quality"]).ShouldBe("Clean");
        Flow(await Report("?quality=noted")).ShouldBe((2L, 1L));
        // The noted closing ran backwards: its cycle time is negative as the source says, and only there.
        Hours(await Report("?quality=noted")).ShouldBe(-48);
        Hours(clean).ShouldBe(24);
        (await Auditing.AuditSql.GetText(fixture, "analyst.import", "/api/reports/monthly/1999-07?quality=noted&format=html"))
            .ShouldContain("Only cases with data-quality notes.");
    }

    private static double Hours(JsonNode report) => report["cycleTimes"]!.AsArray()
        .Single(s => Text(s!["stage"]) == "receivedToClosed")!["medianHours"]!["thisMonth"]!.GetValue<double>();

    [Theory]
    [InlineData("/api/analytics/satisfaction?quality=dirty")]
    [InlineData("/api/analytics/cycle-times?quality=some")]
    [InlineData("/api/reports/monthly/2026-03?quality=1")]
    public async Task a_quality_other_than_all_clean_or_noted_is_a_400(string url)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader(ApiFixture.UserHeader, "analyst.import");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsText().ShouldContain("quality takes all, clean or noted");
    }
}

using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Complaints.Projections.Analytics;
using Marten.Events;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// The monthly report for February 2021 over the population of <see cref="AnalyticsPopulation"/>, with January beside
/// it. Every figure is worked out by hand; the comments give the cases behind each.
/// </summary>
[Collection(nameof(AnalyticsTests))]
public sealed class MonthlyReportTests(OwnDatabase<MonthlyReportTests> fixture) : IClassFixture<OwnDatabase<MonthlyReportTests>>
{
    private readonly AnalyticsPopulation _population = new(fixture);

    private async Task<IScenarioResult> Report(string month, string? format = null)
    {
        await _population.Build();
        return await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/reports/monthly/{month}" + (format is null ? "" : $"?format={format}"));
            s.WithRequestHeader(ApiFixture.UserHeader, "analyst.report");
            s.StatusCodeShouldBeOk();
        });
    }

    private async Task<JsonNode> Json(string month) => JsonNode.Parse(await (await Report(month)).ReadAsTextAsync())!;

    /// <summary>A figure as "this/previous", nulls as "-", so that both months are asserted together.</summary>
    private static string Pair(JsonNode? figure) => $"{Value(figure!["thisMonth"])}/{Value(figure["previousMonth"])}";

    private static string Value(JsonNode? value) => value is null ? "-" : Math.Round(value.GetValue<double>(), 4).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A keyed breakdown as "key this/previous", in the report's order.</summary>
    private static string[] Keyed(JsonNode? list) =>
        list!.AsArray().Select(k => $"{k!["key"]!.GetValue<string>()} {Pair(k)}").ToArray();

    private static string[] PersonalData() =>
    [
        "Population Member", "021-5550001", "021 555 0001", "0215550001", "5550001", "5550002", "5550003", "5550004", "5550005", "5550006",
        new ComplainantKeys(ComplainantKeys.DevelopmentSecret).For(new Complainant("Population Member", "021-5550001", null, null))!,
    ];

    [Fact]
    public async Task february_2021_gives_every_figure_beside_january()
    {
        var report = await Json("2021-02");
        report["month"]!.GetValue<string>().ShouldBe("2021-02");
        report["previousMonth"]!.GetValue<string>().ShouldBe("2021-01");
        DateTimeOffset.Parse(report["from"]!.GetValue<string>()).ShouldBe(new DateTimeOffset(2021, 2, 1, 0, 0, 0, TimeSpan.Zero));
        DateTimeOffset.Parse(report["to"]!.GetValue<string>()).ShouldBe(new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero));

        // Received in February: D Phone, E Letter, F WalkIn, G Phone; in January: A Phone, B Email, C Online.
        // Every channel is listed; biggest first this month, then last month, then by name.
        var volume = report["volume"]!;
        Keyed(volume["byChannel"]).ShouldBe(["Phone 2/1", "Letter 1/0", "WalkIn 1/0", "Email 0/1", "Online 0/1"]);
        // Categories as the cases stand: February E Leak, G Noise, D and F never triaged; January A, B Noise, C Leak.
        Keyed(volume["byCategory"]).ShouldBe(["Noise 1/2", "Leak 1/1", "(none) 2/0"]);
        // Only A, B and G were assigned (Estate Office); C, D, E, F never were.
        Keyed(volume["byDepartment"]).ShouldBe(["Estate Office 1/2", "(none) 3/1"]);
        // February F, G Block 1, E Block 3, D Block 4; January A Block 1, B Block 2, C Block 3. The tests name a location of
        // at least two cases in either month (Complaints:Reports:LocationMinimumCases): Block 1 alone; the rest are other.
        Keyed(volume["byLocation"]).ShouldBe(["Block 1 2/1", "(other) 2/2"]);

        // Closed in February: D (declined Feb 8), F (withdrawn Feb 13), E (agreement performed Feb 20); C is escalated,
        // not closed; G is open. January: A (Jan 8) and B (Jan 20). Backlog at the end of February: C and G; of January: C.
        // The database is this class's own: nothing received before 2021 adds to the backlog.
        var flow = report["flow"]!;
        Pair(flow["received"]).ShouldBe("4/3");
        Pair(flow["closed"]).ShouldBe("3/2");
        Pair(flow["backlogAtMonthEnd"]).ShouldBe("2/1");

        // February: G was due Feb 16 and is unresolved. January: A due Jan 6, resolved Jan 5; B due Jan 11, resolved Jan 12.
        var onTime = report["onTime"]!;
        Pair(onTime["due"]).ShouldBe("1/2");
        Pair(onTime["met"]).ShouldBe("0/1");
        Pair(onTime["rate"]).ShouldBe("0/0.5");

        // Hours of the stages that ended in each month. February: accepted E 1, G 1; assigned G 2; no first response;
        // resolved E 120 (agreement Feb 15); no first follow-up (C's was Jan 25, E had none); closed D 1, F 24, E 240,
        // whose p90 is 24 + 0.8 × 216 = 196.8. January as in the cycle-time tests.
        var stages = report["cycleTimes"]!.AsArray()
            .Select(s => $"{s!["stage"]!.GetValue<string>()}: n {Pair(s["count"])}, median {Pair(s["medianHours"])}, p90 {Pair(s["p90Hours"])}")
            .ToArray();
        stages.ShouldBe([
            "receivedToAccepted: n 2/3, median 1/1, p90 1/1.8",
            "receivedToAssigned: n 1/2, median 2/3, p90 2/3.8",
            "assignedToFirstResponse: n 0/2, median -/1.5, p90 -/1.9",
            "receivedToResolved: n 1/3, median 120/24, p90 120/43.2",
            "resolvedToFollowUp: n 0/3, median -/72, p90 -/108.8",
            "receivedToClosed: n 3/2, median 24/168, p90 196.8/225.6",
        ]);

        // Follow-ups. February: C r1 2 ✗ (Feb 1), C r2 1 ✗ (Feb 5). January: A 5 ✓, B 2 ✗, B 4 ✓, C 1 ✗.
        var satisfaction = report["satisfaction"]!;
        Pair(satisfaction["rated"]).ShouldBe("2/4");
        Pair(satisfaction["satisfied"]).ShouldBe("0/2");
        Pair(satisfaction["rate"]).ShouldBe("0/0.5");
        Pair(satisfaction["meanScore"]).ShouldBe("1.5/3");

        // Re-reviews are requested by the unsatisfied follow-up. February: C round 2 (Feb 1), re-reviewed Feb 2, then
        // unsatisfied Feb 5. January: B round 1 (Jan 15, satisfied after) and C round 1 (Jan 25, unsatisfied after).
        var reReviews = report["reReviews"]!;
        Pair(reReviews["requested"]).ShouldBe("1/2");
        Pair(reReviews["reReviewed"]).ShouldBe("1/2");
        Pair(reReviews["withdrawn"]).ShouldBe("0/0");
        Pair(reReviews["stillWaiting"]).ShouldBe("0/0");
        Pair(reReviews["satisfiedAtNextFollowUp"]).ShouldBe("0/1");

        // G to management Feb 15; C to a higher level Feb 5 after its last round. None in January.
        Keyed(report["escalations"]).ShouldBe(["Management 1/0", "HigherLevel 1/0"]);
        // B was resolved on Jan 12, a day after its due: the resolution itself recorded the miss (January). G's due
        // (Feb 16) passed unresolved, but it was entered years later: its timer waits for the late-entry grace (15
        // minutes), longer than the tests run, so February shows none yet.
        Keyed(report["missedPromises"]).ShouldBe(["FirstResponse 0/0", "Resolution 0/1", "FollowUp 0/0", "ReReview 0/0"]);
        // E's agreement, signed Feb 15.
        Keyed(report["mediationOutcomes"]).ShouldBe(["Agreement 1/0", "Settled 0/0", "Failed 0/0"]);

        // G shares A's phone, but A came in January: no complainant has two complaints within either month. G is the
        // one February complainant who had complained in an earlier month.
        var repeat = report["repeatComplainants"]!;
        Pair(repeat["complainants"]).ShouldBe("0/0");
        Pair(repeat["complaints"]).ShouldBe("0/0");
        Pair(repeat["complainedInAnEarlierMonth"]).ShouldBe("1/0");

        // Hot spots this month, ties by name; cases with no category, and the locations too few to name, are no hot spot.
        Keyed(report["topCategories"]).ShouldBe(["Leak 1/1", "Noise 1/2"]);
        Keyed(report["topLocations"]).ShouldBe(["Block 1 2/1"]);
    }

    [Fact]
    public async Task february_2021_as_csv_has_one_row_per_figure()
    {
        var result = await Report("2021-02", "csv");
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("text/csv");
        var lines = (await result.ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("section,figure,key,this_month,previous_month");
        lines.Skip(1).ShouldAllBe(l => l.Split(',', StringSplitOptions.None).Length == 5);
        lines.ShouldContain("volume,channel,Phone,2,1");
        lines.ShouldContain("volume,category,(none),2,0");
        lines.ShouldContain("volume,department,Estate Office,1,2");
        lines.ShouldContain("flow,received,,4,3");
        lines.ShouldContain("flow,closed,,3,2");
        lines.ShouldContain(l => l.StartsWith("flow,backlogAtMonthEnd,,"));
        lines.ShouldContain("onTime,rate,,0,0.5");
        lines.ShouldContain("cycleTimes,medianHours,assignedToFirstResponse,,1.5");
        lines.ShouldContain("cycleTimes,p90Hours,receivedToClosed,196.8,225.6");
        lines.ShouldContain("satisfaction,meanScore,,1.5,3");
        lines.ShouldContain("reReviews,satisfiedAtNextFollowUp,,0,1");
        lines.ShouldContain("escalations,escalated,HigherLevel,1,0");
        lines.ShouldContain("mediationOutcomes,ended,Agreement,1,0");
        lines.ShouldContain("repeatComplainants,complainedInAnEarlierMonth,,1,0");
        lines.ShouldContain("topCategories,1,Leak,1,1");
        lines.ShouldContain("topLocations,1,Block 1,2,1");
        lines.ShouldNotContain(l => l.StartsWith("topLocations,2,"));
        lines.ShouldContain("volume,location,(other),2,2");
        lines.ShouldNotContain(l => l.Contains("Block 3"));
    }

    [Fact]
    public async Task february_2021_as_html_is_a_printable_page_of_tables()
    {
        var result = await Report("2021-02", "html");
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("text/html");
        var html = await result.ReadAsTextAsync();

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<title>Monthly complaints report 2021-02</title>");
        html.ShouldContain("<table>");
        html.ShouldContain("<th class=\"n\">2021-02</th><th class=\"n\">2021-01</th>");
        html.ShouldContain("<tr><td>Received</td><td></td><td class=\"n\">4</td><td class=\"n\">3</td></tr>");
        html.ShouldContain("<tr><td>By location</td><td>Block 1</td><td class=\"n\">2</td><td class=\"n\">1</td></tr>");
        html.ShouldContain("<tr><td>90th percentile</td><td>receivedToClosed</td><td class=\"n\">196.8</td><td class=\"n\">225.6</td></tr>");
        // Self-contained: nothing fetched from elsewhere.
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<link");
        html.ShouldNotContain("http");
    }

    [Fact]
    public async Task no_format_shows_a_complainant_name_phone_or_key()
    {
        foreach (var format in new string?[] { null, "csv", "html" })
        {
            var text = await (await Report("2021-02", format)).ReadAsTextAsync();
            foreach (var personal in PersonalData()) text.ShouldNotContain(personal, Case.Insensitive, $"format {format ?? "json"}");
            (await (await Report("2021-01", format)).ReadAsTextAsync()).ShouldNotContain("Population Member");
        }
    }

    [Fact]
    public async Task a_complainant_with_two_complaints_in_a_month_is_counted_by_contact_without_showing_it()
    {
        // May and June 2023, after the population (so they add nothing to its backlog), in this class's own database. The
        // same phone written two ways, the same email in two cases, and one other.
        var api = new ComplaintsApi(fixture.Host, "intake.setup");
        var may = new DateTimeOffset(2023, 5, 3, 9, 0, 0, TimeSpan.Zero);
        object Complaint(DateTimeOffset at, string? phone, string? email) => new
        {
            channel = "Phone",
            complainant = new { name = "Repeat Person", phone, email, address = (string?)null },
            description = "repeat complainant",
            location = "Harbour Road",
            receivedAt = at,
        };
        await api.Receive(Complaint(may, "+86 755 1234 5678", null));
        await api.Receive(Complaint(may.AddDays(3), "86 (755) 1234-5678", null));
        await api.Receive(Complaint(may.AddDays(5), null, "Repeat.Person@Example.org"));
        await api.Receive(Complaint(may.AddDays(7), null, " repeat.person@example.org"));
        await api.Receive(Complaint(may.AddDays(9), "0755 8888 0000", null));
        await api.Receive(Complaint(may.AddMonths(1), "8675512345678", null));
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var mayReport = (await Json("2023-05"))["repeatComplainants"]!;
        Pair(mayReport["complainants"]).ShouldBe("2/0");
        Pair(mayReport["complaints"]).ShouldBe("4/0");
        Pair(mayReport["complainedInAnEarlierMonth"]).ShouldBe("0/0");
        var june = (await Json("2023-06"))["repeatComplainants"]!;
        Pair(june["complainants"]).ShouldBe("0/2");
        Pair(june["complaints"]).ShouldBe("0/4");
        Pair(june["complainedInAnEarlierMonth"]).ShouldBe("1/0");

        var keys = new[] { ("+86 755 1234 5678", (string?)null), (null, "repeat.person@example.org") }
            .Select(c => new ComplainantKeys(ComplainantKeys.DevelopmentSecret).For(new Complainant("Repeat Person", c.Item1, c.Item2, null))!)
            .ToArray();
        foreach (var format in new string?[] { null, "csv", "html" })
        {
            var text = await (await Report("2023-05", format)).ReadAsTextAsync();
            text.ShouldNotContain("Repeat Person");
            text.ShouldNotContain("1234", Case.Insensitive);
            text.ShouldNotContain("example.org", Case.Insensitive);
            foreach (var key in keys) text.ShouldNotContain(key, Case.Insensitive);
        }
    }

    [Fact]
    public async Task after_a_rebuild_the_report_still_counts_new_complaints()
    {
        // The rebuild used to leave the analytics projection stopped, so nothing received afterwards reached the report.
        await _population.Build();
        await fixture.Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/projections/ComplaintAnalytics/rebuild");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.root");
            s.StatusCodeShouldBeOk();
        });
        var march = new DateTimeOffset(2023, 3, 15, 9, 0, 0, TimeSpan.Zero);
        var before = (await Json("2023-03"))["flow"]!["received"]!["thisMonth"]!.GetValue<long>();
        await new ComplaintsApi(fixture.Host, "intake.setup").Receive(ComplaintsApi.NewComplaint(phone: "0755 7777 0000", receivedAt: march));
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        (await Json("2023-03"))["flow"]!["received"]!["thisMonth"]!.GetValue<long>().ShouldBe(before + 1);
    }

    [Fact]
    public async Task a_month_without_data_gives_zeros_not_an_error()
    {
        var report = await Json("1999-01");
        report["previousMonth"]!.GetValue<string>().ShouldBe("1998-12");
        Keyed(report["volume"]!["byChannel"]).ShouldBe(["Email 0/0", "Letter 0/0", "Online 0/0", "Phone 0/0", "WalkIn 0/0"]);
        Keyed(report["volume"]!["byCategory"]).ShouldBeEmpty();
        Keyed(report["volume"]!["byLocation"]).ShouldBeEmpty();
        foreach (var figure in new[] { "received", "closed", "backlogAtMonthEnd" }) Pair(report["flow"]![figure]).ShouldBe("0/0");
        Pair(report["onTime"]!["due"]).ShouldBe("0/0");
        Pair(report["onTime"]!["rate"]).ShouldBe("-/-");
        report["cycleTimes"]!.AsArray().Count.ShouldBe(6);
        report["cycleTimes"]!.AsArray().ShouldAllBe(s => Pair(s!["count"]) == "0/0" && Pair(s["medianHours"]) == "-/-" && Pair(s["p90Hours"]) == "-/-");
        Pair(report["satisfaction"]!["rated"]).ShouldBe("0/0");
        Pair(report["satisfaction"]!["rate"]).ShouldBe("-/-");
        Pair(report["satisfaction"]!["meanScore"]).ShouldBe("-/-");
        Pair(report["reReviews"]!["requested"]).ShouldBe("0/0");
        Keyed(report["escalations"]).ShouldBe(["Management 0/0", "HigherLevel 0/0"]);
        Keyed(report["mediationOutcomes"]).ShouldBe(["Agreement 0/0", "Settled 0/0", "Failed 0/0"]);
        Pair(report["repeatComplainants"]!["complainants"]).ShouldBe("0/0");
        Keyed(report["topCategories"]).ShouldBeEmpty();
        Keyed(report["topLocations"]).ShouldBeEmpty();

        (await (await Report("1999-01", "csv")).ReadAsTextAsync()).ShouldContain("flow,received,,0,0");
        (await (await Report("1999-01", "html")).ReadAsTextAsync()).ShouldContain("<title>Monthly complaints report 1999-01</title>");
    }

    [Theory]
    [InlineData("2021-13")]
    [InlineData("abc")]
    [InlineData("2021-2")]
    [InlineData("2021-02-01")]
    [InlineData("2021-02?format=pdf")]
    public async Task a_bad_month_or_format_is_a_400(string month)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/reports/monthly/{month}");
            s.WithRequestHeader(ApiFixture.UserHeader, "analyst.report");
            s.StatusCodeShouldBe(400);
        });
        ComplaintsApi.Problem(result)["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }
}

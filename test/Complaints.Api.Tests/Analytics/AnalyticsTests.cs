using System.Text.Json.Nodes;
using Alba;
using Marten.Events;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Analytics.AnalyticsPopulation;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// Every figure below is worked out by hand from the population described in <see cref="AnalyticsPopulation"/>, in a
/// database of this class's own.
/// </summary>
// Each class of this collection starts a host over a database of its own: one at a time.
[Collection(nameof(AnalyticsTests))]
public sealed class AnalyticsTests(OwnDatabase<AnalyticsTests> fixture) : IClassFixture<OwnDatabase<AnalyticsTests>>
{
    private const string Analyst = "analyst.figures";
    private const string Admin = "admin.root";
    private readonly AnalyticsPopulation _population = new(fixture);
    private const string January = "from=2021-01-01&to=2021-02-01";
    private const string February = "from=2021-02-01&to=2021-03-01";

    /// <summary>An answer as an analyst reads it, or, for the API's administration, as an administrator.</summary>
    private async Task<JsonNode> Get(string url)
    {
        await _population.Build();
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader(ApiFixture.UserHeader, url.StartsWith("/api/admin/") ? Admin : Analyst);
            s.StatusCodeShouldBeOk();
        });
        return JsonNode.Parse(await result.ReadAsTextAsync())!;
    }

    private static void ShouldBeFigures(JsonNode row, params (string Field, double? Value)[] expected)
    {
        foreach (var (field, value) in expected)
        {
            var actual = row[field]?.GetValue<double>();
            if (value is null) actual.ShouldBeNull(field);
            else actual.ShouldNotBeNull(field).ShouldBe(value.Value, 0.0001, field);
        }
    }

    [Fact]
    public async Task satisfaction_in_january_counts_each_follow_up_by_when_it_happened()
    {
        var all = (await Get($"/api/analytics/satisfaction?{January}")).AsArray().ShouldHaveSingleItem()!;
        // A r0 5 ✓, B r0 2 ✗, B r1 4 ✓, C r0 1 ✗; B and C opened a re-review.
        ShouldBeFigures(all, ("rated", 4), ("satisfied", 2), ("satisfactionRate", 0.5), ("meanScore", 3),
            ("firstRoundRated", 3), ("firstRoundSatisfied", 1), ("firstRoundRate", 0.3333),
            ("afterReReviewRated", 1), ("afterReReviewSatisfied", 1), ("shareSatisfiedAfterReReview", 1),
            ("casesFollowedUp", 3), ("casesReReviewed", 2), ("reReviewRate", 0.6667));
    }

    [Fact]
    public async Task satisfaction_by_category_and_round_breaks_the_same_follow_ups_down()
    {
        var rows = (await Get($"/api/analytics/satisfaction?{January}&by=category")).AsArray();
        rows.Count.ShouldBe(2);
        var leak = rows.Single(r => r!["group"]!["category"]!.GetValue<string>() == "Leak")!;
        ShouldBeFigures(leak, ("rated", 1), ("satisfied", 0), ("satisfactionRate", 0), ("meanScore", 1),
            ("afterReReviewRated", 0), ("shareSatisfiedAfterReReview", null), ("reReviewRate", 1));
        var noise = rows.Single(r => r!["group"]!["category"]!.GetValue<string>() == "Noise")!;
        ShouldBeFigures(noise, ("rated", 3), ("satisfied", 2), ("satisfactionRate", 0.6667), ("meanScore", 3.6667),
            ("firstRoundRated", 2), ("firstRoundRate", 0.5), ("afterReReviewRated", 1), ("reReviewRate", 0.5));

        var byMonthAndRound = (await Get("/api/analytics/satisfaction?from=2021-01-01&to=2021-03-01&by=month,round")).AsArray();
        byMonthAndRound.Select(r => $"{r!["group"]!["month"]} r{r["group"]!["round"]}: {r["rated"]}/{r["satisfied"]}")
            .ShouldBe(["2021-01 r0: 3/1", "2021-01 r1: 1/1", "2021-02 r1: 1/0", "2021-02 r2: 1/0"]);
    }

    [Fact]
    public async Task satisfaction_in_february_sees_the_case_that_ran_out_of_re_review_rounds()
    {
        var all = (await Get($"/api/analytics/satisfaction?{February}")).AsArray().ShouldHaveSingleItem()!;
        // C r1 2 ✗ (opened round 2), C r2 1 ✗ (escalated: no round 3).
        ShouldBeFigures(all, ("rated", 2), ("satisfied", 0), ("meanScore", 1.5), ("firstRoundRated", 0), ("firstRoundRate", null),
            ("afterReReviewRated", 2), ("shareSatisfiedAfterReReview", 0), ("casesFollowedUp", 1), ("casesReReviewed", 1));
    }

    [Fact]
    public async Task cycle_times_in_january_give_count_mean_median_and_p90_per_stage()
    {
        var figures = await Get($"/api/analytics/cycle-times?{January}");
        var stages = figures["stages"]!.AsArray().ToDictionary(s => s!["stage"]!.GetValue<string>(), s => s!);
        // Hours: accepted A1 B2 C1; assigned A2 B4; first response A1 B2; resolved A24 B48 C2; follow-up A72 B72 C118;
        // closed A96 B240. p90 interpolates between the sorted values (percentile_cont).
        ShouldBeFigures(stages["receivedToAccepted"], ("count", 3), ("meanHours", 1.3333), ("medianHours", 1), ("p90Hours", 1.8));
        ShouldBeFigures(stages["receivedToAssigned"], ("count", 2), ("meanHours", 3), ("medianHours", 3), ("p90Hours", 3.8));
        ShouldBeFigures(stages["assignedToFirstResponse"], ("count", 2), ("meanHours", 1.5), ("medianHours", 1.5), ("p90Hours", 1.9));
        ShouldBeFigures(stages["receivedToResolved"], ("count", 3), ("meanHours", 24.6667), ("medianHours", 24), ("p90Hours", 43.2));
        ShouldBeFigures(stages["resolvedToFollowUp"], ("count", 3), ("meanHours", 87.3333), ("medianHours", 72), ("p90Hours", 108.8));
        ShouldBeFigures(stages["receivedToClosed"], ("count", 2), ("meanHours", 168), ("medianHours", 168), ("p90Hours", 225.6));

        // A was resolved before its due date, B a day after.
        var due = figures["promises"]!.AsArray().Single(p => p!["promise"]!.GetValue<string>() == "resolutionDue")!;
        ShouldBeFigures(due, ("due", 2), ("met", 1), ("rate", 0.5));
    }

    [Fact]
    public async Task cycle_times_in_february_by_category_count_closures_and_missed_promises()
    {
        var figures = await Get($"/api/analytics/cycle-times?{February}&by=category");
        var closed = figures["stages"]!.AsArray()
            .Where(s => s!["stage"]!.GetValue<string>() == "receivedToClosed")
            .ToDictionary(s => s!["group"]!["category"]?.GetValue<string>() ?? "none", s => s!);
        // Closed in February: D declined after 1h (no category), E after 10 days = 240h (Leak), F withdrawn after 24h (none).
        ShouldBeFigures(closed["none"], ("count", 2), ("meanHours", 12.5), ("medianHours", 12.5));
        ShouldBeFigures(closed["Leak"], ("count", 1), ("meanHours", 240));
        // G's due date (Feb 16) passed with no resolution.
        var due = figures["promises"]!.AsArray().Single(p => p!["promise"]!.GetValue<string>() == "resolutionDue")!;
        ShouldBeFigures(due, ("due", 1), ("met", 0), ("rate", 0));
    }

    [Fact]
    public async Task a_rebuild_gives_identical_figures_and_the_projection_then_follows_new_events()
    {
        var satisfactionBefore = (await Get($"/api/analytics/satisfaction?from=2021-01-01&to=2021-03-01&by=month,category,round")).ToJsonString();
        var cycleTimesBefore = (await Get($"/api/analytics/cycle-times?from=2021-01-01&to=2021-03-01&by=month,channel")).ToJsonString();
        // Live, the daemon projected these cases a few events at a time; the rebuild replays them in pages of thousands.
        var ids = (await _population.Build()).Values.ToArray();
        var rowsBefore = await AnalyticsRows(ids);
        rowsBefore.Count.ShouldBeGreaterThan(ids.Length);

        var rebuild = await fixture.Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/projections/ComplaintAnalytics/rebuild");
            s.WithRequestHeader(ApiFixture.UserHeader, Admin);
            s.StatusCodeShouldBeOk();
        });
        (await rebuild.ReadAsTextAsync()).ShouldContain("ComplaintAnalytics");
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        (await Get($"/api/analytics/satisfaction?from=2021-01-01&to=2021-03-01&by=month,category,round")).ToJsonString().ShouldBe(satisfactionBefore);
        (await Get($"/api/analytics/cycle-times?from=2021-01-01&to=2021-03-01&by=month,channel")).ToJsonString().ShouldBe(cycleTimesBefore);
        (await AnalyticsRows(ids)).ShouldBe(rowsBefore);

        // The daemon goes on projecting what is appended after the rebuild. Other tests append at the same time, so
        // the check is that the projection passed the store's high-water mark as it stood before this append.
        var before = (await Get("/api/admin/projections"))["highWaterMark"]!.GetValue<long>();
        await new ComplaintsApi(fixture.Host, "intake.amy").ReceiveId();
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var status = await Get("/api/admin/projections");
        var analytics = status["projections"]!.AsArray().Single(p => p!["shard"]!.GetValue<string>().StartsWith("ComplaintAnalytics"))!;
        analytics["sequence"]!.GetValue<long>().ShouldBeGreaterThan(before);
        status["deadLetterEvents"]!.GetValue<long>().ShouldBe(0);
    }

    /// <summary>Every row of the five analytics tables that belongs to these cases, as text, in a fixed order.</summary>
    private Task<List<string>> AnalyticsRows(Guid[] ids) => TestSql.Lines(fixture.ConnectionString,
        """
        select t::text from analytics.complaint_cases t where complaint_id = any(@ids)
        union all select t::text from analytics.follow_ups t where complaint_id = any(@ids)
        union all select t::text from analytics.re_reviews t where complaint_id = any(@ids)
        union all select t::text from analytics.escalations t where complaint_id = any(@ids)
        union all select t::text from analytics.missed_promises t where complaint_id = any(@ids)
        order by 1
        """, ("ids", (object)ids));

    [Fact]
    public async Task an_unknown_dimension_or_a_bad_date_is_a_400()
    {
        await _population.Build();
        await fixture.Host.Scenario(s => { s.Get.Url("/api/analytics/satisfaction?by=planet"); s.WithRequestHeader(ApiFixture.UserHeader, Analyst); s.StatusCodeShouldBe(400); });
        await fixture.Host.Scenario(s => { s.Get.Url("/api/analytics/cycle-times?from=yesterday"); s.WithRequestHeader(ApiFixture.UserHeader, Analyst); s.StatusCodeShouldBe(400); });
    }

    [Fact]
    public async Task health_reports_the_database_and_the_daemon()
    {
        await _population.Build();
        var ready = await fixture.Host.Scenario(s => { s.Get.Url("/health/ready"); s.WithRequestHeader(ApiFixture.UserHeader, Admin); s.StatusCodeShouldBeOk(); });
        var text = await ready.ReadAsTextAsync();
        text.ShouldContain("\"database\"");
        text.ShouldContain("\"projection-daemon\"");
        await fixture.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBeOk(); });
    }

    [Fact]
    public async Task readiness_tells_an_anonymous_caller_the_status_and_nothing_else()
    {
        var ready = await fixture.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.WithRequestHeader(TestIdentities.AnonymousHeader, "true");
            s.StatusCodeShouldBeOk();
        });
        var body = System.Text.Json.Nodes.JsonNode.Parse(await ready.ReadAsTextAsync())!.AsObject();
        body.Select(p => p.Key).ShouldBe(["status"]);
        body["status"]!.GetValue<string>().ShouldBeOneOf("Healthy", "Degraded");
    }
}

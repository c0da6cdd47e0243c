using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Marten.Events;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// The two bases side by side, over two complaints of this class's own database, every figure worked out by hand:
///   P  Phone  Noise  Estate Office  received Mar 30 2019 09:00, accepted +1h, assigned +2h (due Apr 2 09:00), resolved
///                                   Apr 1 09:00 (2 days, kept), unsatisfied 2 on Apr 4 09:00 → re-review 1 requested
///   Q  Online Leak   (first contact) received Apr 10 09:00, accepted +1h, resolved Apr 13 21:00 (3.5 days),
///                                   satisfied 5 on Apr 16 09:00 → Closed
/// On the event basis P's resolution and follow-up count in April; on the received basis in March, P's month.
/// </summary>
[Collection(nameof(AnalyticsTests))]
public sealed class ReceivedBasisTests(OwnDatabase<ReceivedBasisTests> fixture) : IClassFixture<OwnDatabase<ReceivedBasisTests>>
{
    private const string March = "from=2019-03-01&to=2019-04-01";
    private const string April = "from=2019-04-01&to=2019-05-01";
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _built;

    private static DateTimeOffset At(int month, int day, double hour = 9) => new DateTimeOffset(2019, month, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private async Task Build()
    {
        await Once.WaitAsync();
        try
        {
            if (_built) return;
            var api = new ComplaintsApi(fixture.Host, "service.cohorts");
            async Task<Guid> Receive(string channel, DateTimeOffset at) => await api.ReceiveId(new
            {
                channel,
                complainant = new { name = "Cohort Member", phone = "021-5559999", email = (string?)null, address = (string?)null },
                description = "received basis",
                receivedAt = at,
            });
            async Task Do(Guid id, string action, DateTimeOffset at, object? body = null)
            {
                var fields = System.Text.Json.JsonSerializer.SerializeToNode(body ?? new { })!.AsObject();
                fields["at"] = at.ToString("O");
                await api.Do(id, action, fields);
            }

            var p = await Receive("Phone", At(3, 30));
            await Do(p, "accept", At(3, 30, 10));
            await Do(p, "triage", At(3, 30, 10), new { category = "Noise", severity = "Low", priority = "Normal" });
            await Do(p, "assign", At(3, 30, 11), new { department = "Estate Office", handler = "h.p", dueAt = At(4, 2) });
            await Do(p, "resolve", At(4, 1), new { remedy = "Apology", description = "spoke to neighbour", reply = "Resolved." });
            await Do(p, "follow-up", At(4, 4), new { satisfied = false, score = 2, comment = "still noisy" });

            var q = await Receive("Online", At(4, 10));
            await Do(q, "accept", At(4, 10, 10));
            await Do(q, "triage", At(4, 10, 10), new { category = "Leak", severity = "High", priority = "High" });
            await Do(q, "resolve", At(4, 13, 21), new { remedy = "Repair", description = "tightened valve", reply = "Fixed." });
            await Do(q, "follow-up", At(4, 16), new { satisfied = true, score = 5 });

            await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            _built = true;
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<IScenarioResult> Ask(string url, int status = 200)
    {
        await Build();
        return await fixture.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader(ApiFixture.UserHeader, "analyst.cohorts");
            s.StatusCodeShouldBe(status);
        });
    }

    private async Task<JsonNode> Get(string url) => JsonNode.Parse(await (await Ask(url)).ReadAsTextAsync())!;

    private static string Number(JsonNode? value) =>
        value is null ? "-" : Math.Round(value.GetValue<double>(), 4).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Satisfaction(JsonNode rows) => rows.AsArray()
        .Select(r => $"{r!["group"]!["month"]?.GetValue<string>() ?? "all"}: rated {r["rated"]}, satisfied {r["satisfied"]}, " +
                     $"unsatisfied {r["unsatisfied"]} ({Number(r["unsatisfiedRate"])})")
        .ToArray();

    private static string[] Cases(JsonNode figures) => figures["cases"]!.AsArray()
        .Select(c => $"{c!["group"]!["month"]?.GetValue<string>() ?? "all"}: received {c["received"]}, resolved {c["resolved"]}, " +
                     $"closed {c["closed"]}, shares {Number(c["resolvedShare"])}/{Number(c["closedShare"])}, median days {Number(c["medianDaysToResolved"])}")
        .ToArray();

    private static string[] Stages(JsonNode figures) => figures["stages"]!.AsArray()
        .Select(s => $"{s!["stage"]}: {s["count"]}, median {Number(s["medianHours"])}")
        .ToArray();

    private static string[] Promises(JsonNode figures) => figures["promises"]!.AsArray()
        .Select(p => $"{p!["promise"]}: {p["met"]}/{p["due"]}")
        .ToArray();

    [Fact]
    public async Task a_follow_up_in_the_month_after_receipt_counts_in_the_month_received_on_the_received_basis()
    {
        // Event: P's follow-up was made in April, Q's too; none in March.
        Satisfaction(await Get($"/api/analytics/satisfaction?{March}")).ShouldBeEmpty();
        Satisfaction(await Get($"/api/analytics/satisfaction?{March}&basis=event")).ShouldBeEmpty();
        Satisfaction(await Get($"/api/analytics/satisfaction?{April}")).ShouldBe(["all: rated 2, satisfied 1, unsatisfied 1 (0.5)"]);
        // Received: P was received in March, Q in April.
        Satisfaction(await Get($"/api/analytics/satisfaction?{March}&basis=received")).ShouldBe(["all: rated 1, satisfied 0, unsatisfied 1 (1)"]);
        Satisfaction(await Get($"/api/analytics/satisfaction?{April}&basis=received")).ShouldBe(["all: rated 1, satisfied 1, unsatisfied 0 (0)"]);

        const string both = "from=2019-03-01&to=2019-05-01&by=month";
        Satisfaction(await Get($"/api/analytics/satisfaction?{both}")).ShouldBe(["2019-04: rated 2, satisfied 1, unsatisfied 1 (0.5)"]);
        Satisfaction(await Get($"/api/analytics/satisfaction?{both}&basis=received"))
            .ShouldBe(["2019-03: rated 1, satisfied 0, unsatisfied 1 (1)", "2019-04: rated 1, satisfied 1, unsatisfied 0 (0)"]);

        // By category on the received basis: the case as it stands.
        (await Get($"/api/analytics/satisfaction?from=2019-03-01&to=2019-05-01&by=category&basis=received")).AsArray()
            .Select(r => $"{r!["group"]!["category"]}: {r["rated"]}/{r["satisfied"]}").ShouldBe(["Leak: 1/1", "Noise: 1/0"]);
    }

    [Fact]
    public async Task cycle_times_and_outcomes_on_the_received_basis_follow_the_month_s_complaints_to_their_end()
    {
        // Event, March: only P's acceptance (1 h) and assignment (2 h) ended in March; its due date fell in April.
        var marchEvent = await Get($"/api/analytics/cycle-times?{March}");
        Stages(marchEvent).ShouldBe(["receivedToAccepted: 1, median 1", "receivedToAssigned: 1, median 2"]);
        Promises(marchEvent).ShouldBeEmpty();
        Cases(marchEvent).ShouldBe(["all: received 1, resolved 0, closed 0, shares -/-, median days -"]);

        // Received, March: P, whenever its steps ended: resolved after 48 h (2 whole days), followed up 72 h later, not closed.
        var marchReceived = await Get($"/api/analytics/cycle-times?{March}&basis=received");
        Stages(marchReceived).ShouldBe([
            "receivedToAccepted: 1, median 1", "receivedToAssigned: 1, median 2", "receivedToResolved: 1, median 48", "resolvedToFollowUp: 1, median 72",
        ]);
        Promises(marchReceived).ShouldBe(["resolutionDue: 1/1"]);
        Cases(marchReceived).ShouldBe(["all: received 1, resolved 1, closed 0, shares 1/0, median days 2"]);

        // Event, April: Q received; P (2 days) and Q (3.5 days, 3 whole) resolved; Q closed. No shares of flows.
        var aprilEvent = await Get($"/api/analytics/cycle-times?{April}");
        Cases(aprilEvent).ShouldBe(["all: received 1, resolved 2, closed 1, shares -/-, median days 2.5"]);
        Promises(aprilEvent).ShouldBe(["resolutionDue: 1/1"]);
        // Received, April: Q alone.
        var aprilReceived = await Get($"/api/analytics/cycle-times?{April}&basis=received");
        Cases(aprilReceived).ShouldBe(["all: received 1, resolved 1, closed 1, shares 1/1, median days 3"]);
        Promises(aprilReceived).ShouldBeEmpty();
        Stages(aprilReceived).ShouldContain("receivedToResolved: 1, median 84");

        // By month: the month of the stage's end, or the month received.
        const string both = "from=2019-03-01&to=2019-05-01&by=month";
        Cases(await Get($"/api/analytics/cycle-times?{both}")).ShouldBe([
            "2019-03: received 1, resolved 0, closed 0, shares -/-, median days -",
            "2019-04: received 1, resolved 2, closed 1, shares -/-, median days 2.5",
        ]);
        Cases(await Get($"/api/analytics/cycle-times?{both}&basis=received")).ShouldBe([
            "2019-03: received 1, resolved 1, closed 0, shares 1/0, median days 2",
            "2019-04: received 1, resolved 1, closed 1, shares 1/1, median days 3",
        ]);
    }

    [Fact]
    public async Task the_monthly_report_on_the_received_basis_counts_the_month_s_complaints_and_says_so()
    {
        static string Pair(JsonNode? figure) => $"{Number(figure!["thisMonth"])}/{Number(figure["previousMonth"])}";

        var marchEvent = await Get("/api/reports/monthly/2019-03");
        marchEvent["basis"]!.GetValue<string>().ShouldBe("event");
        Pair(marchEvent["satisfaction"]!["rated"]).ShouldBe("0/0");
        Pair(marchEvent["reReviews"]!["requested"]).ShouldBe("0/0");
        Pair(marchEvent["onTime"]!["due"]).ShouldBe("0/0");
        Pair(marchEvent["flow"]!["backlogAtMonthEnd"]).ShouldBe("1/0");

        var march = await Get("/api/reports/monthly/2019-03?basis=received");
        march["basis"]!.GetValue<string>().ShouldBe("received");
        Pair(march["flow"]!["received"]).ShouldBe("1/0");
        Pair(march["flow"]!["closed"]).ShouldBe("0/0");
        // Of March's complaints, P is still open (re-review waiting).
        Pair(march["flow"]!["backlogAtMonthEnd"]).ShouldBe("1/0");
        Pair(march["satisfaction"]!["rated"]).ShouldBe("1/0");
        Pair(march["satisfaction"]!["satisfied"]).ShouldBe("0/0");
        Pair(march["reReviews"]!["requested"]).ShouldBe("1/0");
        Pair(march["reReviews"]!["stillWaiting"]).ShouldBe("1/0");
        Pair(march["onTime"]!["met"]).ShouldBe("1/0");
        Pair(march["cycleTimes"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "receivedToResolved")!["medianHours"]).ShouldBe("48/-");

        var april = await Get("/api/reports/monthly/2019-04?basis=received");
        Pair(april["flow"]!["closed"]).ShouldBe("1/0");
        Pair(april["satisfaction"]!["rated"]).ShouldBe("1/1");
        Pair(april["satisfaction"]!["satisfied"]).ShouldBe("1/0");
        var aprilEvent = await Get("/api/reports/monthly/2019-04");
        Pair(aprilEvent["satisfaction"]!["rated"]).ShouldBe("2/0");

        var csv = (await (await Ask("/api/reports/monthly/2019-03?basis=received&format=csv")).ReadAsTextAsync()).Split("\r\n");
        csv[1].ShouldBe("report,basis,received,,");
        csv.ShouldContain("satisfaction,rated,,1,0");
        (await (await Ask("/api/reports/monthly/2019-03?format=csv")).ReadAsTextAsync()).Split("\r\n")[1].ShouldBe("report,basis,event,,");

        var html = await (await Ask("/api/reports/monthly/2019-03?basis=received&format=html")).ReadAsTextAsync();
        html.ShouldContain("<title>Monthly complaints report 2019-03, by month received</title>");
        html.ShouldContain("Complaints received from 2019-03-01 to 2019-03-31 (UTC) and what became of them since");
        html.ShouldContain("<tr><td>Still open</td><td></td><td class=\"n\">1</td><td class=\"n\">0</td></tr>");
        (await (await Ask("/api/reports/monthly/2019-03?format=html")).ReadAsTextAsync()).ShouldContain("(basis: event)");
    }

    [Theory]
    [InlineData("/api/analytics/satisfaction?basis=closed")]
    [InlineData("/api/analytics/cycle-times?basis=receivedAt")]
    [InlineData("/api/reports/monthly/2019-03?basis=month")]
    public async Task an_unknown_basis_is_a_400_problem(string url)
    {
        var problem = ComplaintsApi.Problem(await Ask(url, 400));
        problem["detail"]!.GetValue<string>().ShouldContain("basis takes event or received");
    }
}

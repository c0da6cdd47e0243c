using System.Globalization;
using System.Text.Json.Nodes;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// The figures an analyst computes from a public sample (../shared/data beside the repository) equal the system's on
/// the received basis, exactly, for every month received, product or complaint type (category), company or agency
/// (department) and channel: the complaints received, the shares resolved (the company's or agency's response) and
/// closed, the median whole days to that response, the disputed share and the timely share. The expected figures are
/// computed here from the CSV, with the test's own reader and the definitions in docs/analytics.md, never with the
/// importer's mapping; the rows the import reported as skipped are left out of them. A fresh clone elsewhere has no
/// ../shared, and then these tests say that they skipped.
/// </summary>
[Collection(nameof(AnalyticsTests))]
public sealed class SourceFiguresTests(OwnDatabase<SourceFiguresTests> fixture) : IClassFixture<OwnDatabase<SourceFiguresTests>>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly string[] Breakdowns = ["", "month", "category", "department", "channel"];

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Dictionary<string, ImportSummary>? _imported;

    /// <summary>One source row as the analyst reads it, by the definitions the documentation gives.</summary>
    private sealed record SourceCase(
        string Id, DateTimeOffset Received, string Category, string Department, string Channel,
        bool Resolved, bool Closed, int? DaysToResponse, bool? Disputed, bool? Timely)
    {
        public string Group(string by) => by switch
        {
            "" => "",
            "month" => Received.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "category" => Category,
            "department" => Department,
            "channel" => Channel,
            _ => throw new ArgumentOutOfRangeException(nameof(by)),
        };
    }

    private static string DataFolder()
    {
        var folder = Path.GetFullPath(Path.Combine(TestDatabase.RepositoryRoot(), "..", "shared", "data"));
        if (!Directory.Exists(folder))
            Assert.Skip("../shared/data is not present (a fresh clone has none): skipping the comparison with the public samples");
        return folder;
    }

    private static readonly (string Format, string File)[] Samples =
    [
        ("cfpb", "cfpb_consumer_complaints_2013_sample.csv"),
        ("nyc311", "nyc311_sample_2013-12-25.csv"),
        ("nyc311", "nyc311_sample_2022-05-01.csv"),
    ];

    /// <summary>The three samples, imported once into this class's database side by side, and projected.</summary>
    private async Task<Dictionary<string, ImportSummary>> Imported(string folder)
    {
        await Once.WaitAsync();
        try
        {
            if (_imported is null)
            {
                var summaries = await Task.WhenAll(Samples.Select(s => Task.Run(() =>
                    Importer(fixture).ImportFileAsync(s.Format, Path.Combine(folder, s.File), ct: TestContext.Current.CancellationToken))));
                await Projected(fixture);
                _imported = Samples.Zip(summaries).ToDictionary(p => p.First.File, p => p.Second);
            }
            return _imported;
        }
        finally
        {
            Once.Release();
        }
    }

    private static DateTimeOffset Day(string text) =>
        new(DateTime.ParseExact(text, "M/d/yyyy", CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static bool? YesNo(string text) => text switch { "Yes" => true, "No" => false, _ => null };

    /// <summary>
    /// A CFPB row: resolved when the company's response is one of the "Closed…" ones (the CFPB's own closed), closed in
    /// the lifecycle when besides that the consumer did not dispute it; days to the response are date_sent_to_company
    /// minus date_received; the dispute counts for a response with a Yes or No; timely wherever timely_response says Yes or No.
    /// </summary>
    private static SourceCase Cfpb(Dictionary<string, string> r)
    {
        var received = Day(r["date_received"]);
        var resolved = r["company_response_to_consumer"].StartsWith("Closed", StringComparison.Ordinal) && r["date_sent_to_company"] != "";
        var disputed = resolved ? YesNo(r["consumer_disputed?"]) : null;
        var channel = r["submitted_via"] switch
        {
            "Web" or "Web Referral" => "Online",
            "Phone" => "Phone",
            "Email" => "Email",
            "Postal mail" or "Fax" or "Referral" => "Letter",
            var other => throw new InvalidOperationException($"submitted_via {other}"),
        };
        return new SourceCase(r["complaint_id"], received, r["product"], r["company"], channel,
            resolved, resolved && disputed == false,
            resolved ? (Day(r["date_sent_to_company"]) - received).Days : null,
            disputed, YesNo(r["timely_response"]));
    }

    /// <summary>
    /// A 311 row: resolved and closed when its Status says Closed (by its Closed Date when the export has no Status), at
    /// its Closed Date, else its Resolution Action Updated Date, else its Created Date; days to the response are the whole
    /// days elapsed from Created Date to then (as instants: New York's times converted to UTC); no disputes; timely where
    /// it has a Due Date, when closed by then.
    /// </summary>
    private static SourceCase Nyc311(Dictionary<string, string> r)
    {
        DateTimeOffset? Time(string column) => r.GetValueOrDefault(column) is { Length: > 0 } text
            ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(text, "MM/dd/yyyy hh:mm:ss tt", CultureInfo.InvariantCulture), NewYork))
            : null;
        var created = Time("Created Date")!.Value;
        var isClosed = r.TryGetValue("Status", out var status) ? status == "Closed" : Time("Closed Date") is not null;
        var closed = isClosed ? Time("Closed Date") ?? Time("Resolution Action Updated Date") ?? created : (DateTimeOffset?)null;
        var due = Time("Due Date");
        var channel = r.GetValueOrDefault("Open Data Channel Type") switch
        {
            "ONLINE" or "MOBILE" => "Online",
            "EMAIL" => "Email",
            _ => "Phone",
        };
        return new SourceCase(r["Unique Key"], created, r["Complaint Type"], r["Agency"], channel,
            closed is not null, closed is not null,
            closed is { } c ? (int)Math.Floor((c - created).TotalDays) : null,
            null, due is { } d ? closed is { } at && at <= d : null);
    }

    private static string Share(long part, long whole) => whole == 0 ? "-" : Number(Math.Round((double)part / whole, 4));

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Each group's figures as one line, so that a difference shows the group and the figure.</summary>
    private static string[] Expected(IEnumerable<SourceCase> cases, string by) => cases
        .GroupBy(c => c.Group(by))
        .Select(g =>
        {
            var resolved = g.Count(c => c.Resolved);
            var closed = g.Count(c => c.Closed);
            var days = g.Where(c => c.DaysToResponse is not null).Select(c => (double)c.DaysToResponse!.Value).ToList();
            var rated = g.Count(c => c.Disputed is not null);
            var disputed = g.Count(c => c.Disputed == true);
            var due = g.Count(c => c.Timely is not null);
            var met = g.Count(c => c.Timely == true);
            return Line(g.Key, g.Count(), resolved, Share(resolved, g.Count()), closed, Share(closed, g.Count()),
                days.Count == 0 ? "-" : Number(Percentile(days, 0.5)),
                rated == 0 ? "-" : $"{disputed}/{rated} ({Share(disputed, rated)})",
                due == 0 ? "-" : $"{met}/{due} ({Share(met, due)})");
        })
        .Order(StringComparer.Ordinal)
        .ToArray();

    private static string Line(string group, long received, long resolved, string resolvedShare, long closed, string closedShare,
        string medianDays, string disputed, string timely) =>
        $"[{group}] received {received}, resolved {resolved} ({resolvedShare}), closed {closed} ({closedShare}), " +
        $"median days to response {medianDays}, disputed {disputed}, timely {timely}";

    /// <summary>The same lines from the endpoints on the received basis: cycle-times' cases and promises, satisfaction.</summary>
    private async Task<string[]> Actual(string period, string by)
    {
        var query = $"{period}&basis=received" + (by == "" ? "" : $"&by={by}");
        var cycleTimes = await Get(fixture, $"/api/analytics/cycle-times?{query}");
        var satisfaction = (await Get(fixture, $"/api/analytics/satisfaction?{query}")).AsArray();
        string Key(JsonNode row) => by == "" ? "" : row["group"]![by]?.GetValue<string>() ?? "";
        long N(JsonNode row, string field) => row[field]!.GetValue<long>();
        string Rate(JsonNode row, string field) => Number(row[field]?.GetValue<double>());

        var disputes = satisfaction.ToDictionary(r => Key(r!), r => $"{N(r!, "unsatisfied")}/{N(r!, "rated")} ({Rate(r!, "unsatisfiedRate")})");
        var timely = cycleTimes["promises"]!.AsArray().Where(p => p!["promise"]!.GetValue<string>() == "resolutionDue")
            .ToDictionary(p => Key(p!), p => $"{N(p!, "met")}/{N(p!, "due")} ({Rate(p!, "rate")})");
        return cycleTimes["cases"]!.AsArray()
            .Select(c => Line(Key(c!), N(c!, "received"), N(c!, "resolved"), Rate(c!, "resolvedShare"), N(c!, "closed"), Rate(c!, "closedShare"),
                Rate(c!, "medianDaysToResolved"), disputes.GetValueOrDefault(Key(c!), "-"), timely.GetValueOrDefault(Key(c!), "-")))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    [Theory]
    [InlineData("cfpb_consumer_complaints_2013_sample.csv")]
    [InlineData("nyc311_sample_2013-12-25.csv")]
    [InlineData("nyc311_sample_2022-05-01.csv")]
    public async Task the_figures_computed_from_the_sample_equal_the_system_s_by_month_received_category_department_and_channel(string file)
    {
        var folder = DataFolder();
        var summaries = await Imported(folder);
        IReadOnlyList<SourceCase> Read(string name)
        {
            Func<Dictionary<string, string>, SourceCase> read = name.StartsWith("cfpb", StringComparison.Ordinal) ? Cfpb : Nyc311;
            return ReadCsv(Path.Combine(folder, name)).Select(read).ToList();
        }

        // Today some rows are refused on import; the analyst's figures here are over the rows that went in.
        var skipped = summaries[file].BadRows.Select(b => b.SourceId).ToHashSet();
        var cases = Read(file).Where(c => !skipped.Contains(c.Id)).ToList();
        cases.Count.ShouldBe((int)summaries[file].ComplaintsCreated);

        // The months this file's complaints were received in; no other sample's complaints were received in them.
        var from = cases.Min(c => c.Received.UtcDateTime);
        var to = cases.Max(c => c.Received.UtcDateTime);
        var start = new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = new DateTime(to.Year, to.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        foreach (var other in Samples.Where(s => s.File != file))
            Read(other.File).ShouldNotContain(c => c.Received.UtcDateTime >= start && c.Received.UtcDateTime < end, $"{other.File} overlaps {file}");
        var period = FormattableString.Invariant($"from={start:yyyy-MM-dd}&to={end:yyyy-MM-dd}");

        foreach (var by in Breakdowns)
            (await Actual(period, by)).ShouldBe(Expected(cases, by), $"by {(by == "" ? "nothing" : by)}");
    }
}

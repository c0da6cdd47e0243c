using System.Globalization;
using Complaints.Api.Analytics;
using Complaints.Api.ApiReference;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Analytics;
using Wolverine.Http;
using static Complaints.Api.Analytics.Figures;

namespace Complaints.Api.Reports.Monthly;

/// <summary>A figure for the report's month and, alongside it, the same figure for the month before.</summary>
public sealed record Compared<T>(T ThisMonth, T PreviousMonth);

/// <summary>A count for one value of a dimension (a channel, a category, a level…), this month and the month before.</summary>
public sealed record KeyedCount(string Key, long ThisMonth, long PreviousMonth);

public sealed record MonthlyVolume(
    IReadOnlyList<KeyedCount> ByChannel, IReadOnlyList<KeyedCount> ByCategory,
    IReadOnlyList<KeyedCount> ByDepartment, IReadOnlyList<KeyedCount> ByLocation);

public sealed record MonthlyFlow(Compared<long> Received, Compared<long> Closed, Compared<long> BacklogAtMonthEnd);

public sealed record MonthlyOnTime(Compared<long> Due, Compared<long> Met, Compared<double?> Rate);

public sealed record MonthlyStage(string Stage, Compared<long> Count, Compared<double?> MedianHours, Compared<double?> P90Hours);

public sealed record MonthlySatisfaction(Compared<long> Rated, Compared<long> Satisfied, Compared<double?> Rate, Compared<double?> MeanScore);

public sealed record MonthlyReReviews(
    Compared<long> Requested, Compared<long> ReReviewed, Compared<long> Withdrawn, Compared<long> StillWaiting,
    Compared<long> SatisfiedAtNextFollowUp);

public sealed record MonthlyRepeatComplainants(
    Compared<long> Complainants, Compared<long> Complaints, Compared<long> ComplainedInAnEarlierMonth);

/// <summary>
/// The monthly statistics and analysis report (每月投诉统计及分析报告). On the event basis (the default) every figure
/// counts facts by the UTC calendar month in which they happened; on the received basis, every figure is over the
/// complaints received in the month and what became of them since. Each is shown beside the same figure for the
/// previous month. It holds no complainant identity: repeat complainants are counted by the analytics tables' one-way
/// key, which is never shown.
/// </summary>
public sealed record MonthlyReport(
    string Month,
    string PreviousMonth,
    DateTimeOffset From,
    DateTimeOffset To,
    string Basis,
    DateTimeOffset GeneratedAt,
    MonthlyVolume Volume,
    MonthlyFlow Flow,
    MonthlyOnTime OnTime,
    IReadOnlyList<MonthlyStage> CycleTimes,
    MonthlySatisfaction Satisfaction,
    MonthlyReReviews ReReviews,
    IReadOnlyList<KeyedCount> Escalations,
    IReadOnlyList<KeyedCount> MissedPromises,
    IReadOnlyList<KeyedCount> MediationOutcomes,
    MonthlyRepeatComplainants RepeatComplainants,
    IReadOnlyList<KeyedCount> TopCategories,
    IReadOnlyList<KeyedCount> TopLocations)
{
    /// <summary>Which cases the report counts, by their data-quality notes: All, Clean or Noted.</summary>
    public DataQuality Quality { get; init; }
}

public static class GetMonthlyReportEndpoint
{
    public const string None = "(none)";

    /// <summary>The locations of fewer cases than the report names, counted together.</summary>
    public const string Other = "(other)";

    public const int TopCount = 5;

    /// <summary>
    /// A location is named only where at least this many complaints were received there in the month or the month before
    /// (Complaints:Reports:LocationMinimumCases): a location given by fewer may be a complainant's home.
    /// </summary>
    public const int DefaultLocationMinimumCases = 5;

    public static int LocationMinimumCases(IConfiguration configuration)
    {
        var cases = configuration.GetValue("Complaints:Reports:LocationMinimumCases", DefaultLocationMinimumCases);
        return cases >= 1 ? cases : throw new InvalidOperationException($"Complaints:Reports:LocationMinimumCases is {cases}; it must be at least 1");
    }

    private static readonly string[] EscalationLevels = Enum.GetNames<EscalationLevel>();
    private static readonly string[] OfficePromises = Enum.GetNames<ServicePromise>().Where(p => p != nameof(ServicePromise.ComplainantReply)).ToArray();
    /// <summary>How mediations ended: the outcomes that are not a stage on the way.</summary>
    private static readonly string[] MediationOutcomes =
        [.. new[] { MediationOutcome.Agreement, MediationOutcome.Settled, MediationOutcome.Failed }.Select(o => o.ToString())];

    /// <summary>Get the monthly report</summary>
    /// <remarks>
    /// The report for a month: JSON by default, `?format=csv` for one row per figure, or `?format=html` for a printable page.
    /// Every figure counts facts by the UTC calendar month in which they happened, beside the same figure for the month before;
    /// with basis=received, every figure is over the complaints received in each month, whenever the later steps happened.
    /// </remarks>
    /// <param name="month">The month, as yyyy-MM.</param>
    /// <param name="format">json (the default), csv or html.</param>
    /// <param name="basis">event (the default): facts by the month they happened; received: the complaints received in the month and what became of them.</param>
    /// <param name="quality">Which cases to count by their data-quality notes on imported history: all (the default), clean (none) or noted.</param>
    [Authorize(Policy = Policies.ReadAnalytics)]
    [Tags(Capabilities.Reports)]
    [WolverineGet("/api/reports/monthly/{month}", OperationId = "GetMonthlyReport")]
    [ProducesResponseType<MonthlyReport>(StatusCodes.Status200OK)]
    [AlsoAnswersAs(StatusCodes.Status200OK, "text/csv", "text/html")]
    [SendsHeader(StatusCodes.Status200OK, ApiHeaders.Age)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "The month, the format, the basis or the quality cannot be read.")]
    public static async Task<IResult> Get(string month, AnalyticsDatabase db, AnalyticsAnswers answers, HttpContext http, TimeProvider clock,
        IConfiguration configuration, CancellationToken ct, string? format = null, string? basis = null, string? quality = null)
    {
        var start = ParseMonth(month);
        var kind = ParseFormat(format);
        var monthBasis = Basis.Parse(basis);
        var cases = DataQualityFilter.Parse(quality);
        var report = await answers.Get($"monthly-report {monthBasis} {start.UtcTicks} {cases}", http, async token =>
        {
            var now = clock.GetUtcNow();
            var previousStart = start.AddMonths(-1);
            var end = start.AddMonths(1);
            var current = await Measure(db, new Period(start, end), monthBasis, now, cases, token);
            var previous = await Measure(db, new Period(previousStart, start), monthBasis, now, cases, token);
            NameLocationsWithAtLeast(LocationMinimumCases(configuration), current, previous);
            return Assemble(start, end, previousStart, monthBasis, now, current, previous) with { Quality = cases };
        }, ct);

        return kind switch
        {
            "csv" => Results.Text(MonthlyReportRendering.Csv(report), "text/csv; charset=utf-8"),
            "html" => Results.Text(MonthlyReportRendering.Html(report), "text/html; charset=utf-8"),
            _ => Results.Ok(report),
        };
    }

    /// <summary>The first instant of the month, UTC.</summary>
    public static DateTimeOffset ParseMonth(string? month)
    {
        if (month is null
            || month.Length != 7
            || !DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            throw new BadRequest($"month must be a calendar month as yyyy-MM, such as 2026-03, not '{month}'.");
        // The month before and the month after must exist too.
        if (parsed.Year is < 2 or > 9998)
            throw new BadRequest($"month must lie between 0002-01 and 9998-12, not '{month}'.");
        return new DateTimeOffset(parsed.Year, parsed.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static string ParseFormat(string? format) => (format ?? "json").Trim().ToLowerInvariant() switch
    {
        "" or "json" => "json",
        "csv" => "csv",
        "html" => "html",
        _ => throw new BadRequest($"format takes json, csv or html; not '{format}'."),
    };

    /// <summary>The raw figures of one month.</summary>
    private sealed class MonthFigures
    {
        public Dictionary<string, Dictionary<string, long>> Volume { get; } = new();
        public long Received, Closed, Backlog, Due, Met, Rated, Satisfied;
        public double? MeanScore;
        public Dictionary<string, (long Count, double? Median, double? P90)> Stages { get; } = new();
        public long ReReviewsRequested, ReReviewed, ReReviewsWithdrawn, ReReviewsWaiting, SatisfiedAfterReReview;
        public Dictionary<string, long> Escalations { get; } = new();
        public Dictionary<string, long> MissedPromises { get; } = new();
        public Dictionary<string, long> Mediation { get; } = new();
        public long RepeatComplainants, RepeatComplaints, ComplainedBefore;
    }

    private static readonly string[] VolumeDimensions = ["channel", "category", "department"];

    /// <summary>Each query counts only the cases the quality filter lets through: a case row by its column, any other row by its case.</summary>
    private static async Task<MonthFigures> Measure(AnalyticsDatabase db, Period period, Basis basis, DateTimeOffset now, DataQuality cases,
        CancellationToken ct)
    {
        var figures = new MonthFigures();
        IEnumerable<(string, object?)> Parameters() => [.. period.Parameters(), ("now", now.UtcDateTime)];
        // Whether a row of the cases table, by the time of one of its facts, or a row of another table joined to its case
        // (JoinCase), is in the month on this basis.
        string CaseIn(string column) => Period.Contains(basis.Column(column, caseAlias: ""));
        string In(string column) => Period.Contains(basis.Column(column));

        // Volume: complaints received in the month, by each dimension as the case now stands.
        var volume = string.Join("\n union all\n", VolumeDimensions.Select(d =>
            $"select '{d}' as dimension, {d} as key, count(*) as count from {AnalyticsTables.Cases} where {Period.Contains("received_at")} and {cases.OnCase()} group by {d}"));
        // The analytics tables keep no location: it is read from the cases themselves, and named only in NameLocationsWithAtLeast.
        var locations =
            $"""
            select 'location' as dimension, d.data -> 'case' ->> 'location' as key, count(*) as count
            from {ComplaintStoreOptions.Schema}.mt_doc_complaintdetails d
            where {Period.Contains("(d.data ->> 'receivedAt')::timestamptz")} and {cases.OfComplaint("d.id")} group by 2
            """;
        foreach (var dimension in VolumeDimensions.Append("location")) figures.Volume[dimension] = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in await db.Rows($"{volume}\n union all\n{locations}", Parameters(), ct))
        {
            var counts = figures.Volume[(string)row["dimension"]!];
            var key = (string?)row["key"] ?? None;
            counts[key] = counts.GetValueOrDefault(key) + (long)row["count"]!;
        }

        // Received, closed, and the backlog at the month's end: received before it and not closed by then. On the received
        // basis: of the month's complaints, those closed since and those still open.
        var backlog = basis == Basis.Received
            ? $"{CaseIn("received_at")} and closed_at is null"
            : "received_at < @to::timestamptz and (closed_at is null or closed_at >= @to::timestamptz)";
        var flow = (await db.Rows(
            $"""
            select count(*) filter (where {Period.Contains("received_at")}) as received,
                   count(*) filter (where closed_at is not null and {CaseIn("closed_at")}) as closed,
                   count(*) filter (where {backlog}) as backlog
            from {AnalyticsTables.Cases} where {cases.OnCase()}
            """, Parameters(), ct)).Single();
        (figures.Received, figures.Closed, figures.Backlog) = ((long)flow["received"]!, (long)flow["closed"]!, (long)flow["backlog"]!);

        // On time: the resolution promises that fell due in the month (and before now), kept by the due date,
        // exactly as GetCycleTimes' resolutionDue.
        var promise = Promises.Single(p => p.Promise == "resolutionDue");
        var onTime = (await db.Rows(
            $"""
            select count(*) as due, count(*) filter (where {promise.Kept} is not null and {promise.Kept} <= {promise.DueBy}) as met
            from {AnalyticsTables.Cases}
            where {promise.DueBy} is not null and {promise.DueBy} <= @now and {CaseIn(promise.DueBy)} and {cases.OnCase()}
            """, Parameters(), ct)).Single();
        (figures.Due, figures.Met) = ((long)onTime["due"]!, (long)onTime["met"]!);

        // Cycle times: the stages of GetCycleTimes that ended in the month, in hours, with PostgreSQL's percentiles.
        var stages = string.Join("\n union all\n", Stages.Select(s =>
            $"select '{s.Stage}' as stage, received_at, {s.Start} as starts_at, {s.End} as ends_at from {AnalyticsTables.Cases} where {s.End} is not null and {cases.OnCase()}"));
        foreach (var row in await db.Rows(
                     $"""
                     with stage as ({stages}), hours as (select *, extract(epoch from ends_at - starts_at) / 3600.0 as hours from stage)
                     select stage, count(*) as count,
                            percentile_cont(0.5) within group (order by hours) as median,
                            percentile_cont(0.9) within group (order by hours) as p90
                     from hours where {CaseIn("ends_at")}
                     group by stage
                     """, Parameters(), ct))
            figures.Stages[(string)row["stage"]!] = ((long)row["count"]!, Round(row["median"]), Round(row["p90"]));

        // Satisfaction: the follow-ups made in the month, as GetSatisfaction counts them.
        var satisfaction = (await db.Rows(
            $"""
            select count(*) as rated, count(*) filter (where f.satisfied) as satisfied, avg(f.score)::float8 as mean_score
            from {AnalyticsTables.FollowUps} f {basis.JoinCase("f")} where {In("f.followed_up_at")} and {cases.OfComplaint("f.complaint_id")}
            """, Parameters(), ct)).Single();
        (figures.Rated, figures.Satisfied, figures.MeanScore) =
            ((long)satisfaction["rated"]!, (long)satisfaction["satisfied"]!, Round(satisfaction["mean_score"]));

        // Re-reviews asked for in the month, and how those rounds have ended so far.
        var reReviews = (await db.Rows(
            $"""
            select count(*) as requested,
                   count(*) filter (where r.outcome = 'ReReviewed') as re_reviewed,
                   count(*) filter (where r.outcome = 'Withdrawn') as withdrawn,
                   count(*) filter (where r.outcome is null) as waiting,
                   count(*) filter (where r.outcome = 'ReReviewed' and r.next_follow_up_satisfied) as satisfied_after
            from {AnalyticsTables.ReReviews} r {basis.JoinCase("r")} where {In("r.requested_at")} and {cases.OfComplaint("r.complaint_id")}
            """, Parameters(), ct)).Single();
        figures.ReReviewsRequested = (long)reReviews["requested"]!;
        figures.ReReviewed = (long)reReviews["re_reviewed"]!;
        figures.ReReviewsWithdrawn = (long)reReviews["withdrawn"]!;
        figures.ReReviewsWaiting = (long)reReviews["waiting"]!;
        figures.SatisfiedAfterReReview = (long)reReviews["satisfied_after"]!;

        foreach (var row in await db.Rows(
                     $"select e.level, count(*) as count from {AnalyticsTables.Escalations} e {basis.JoinCase("e")} where {In("e.escalated_at")} and {cases.OfComplaint("e.complaint_id")} group by e.level",
                     Parameters(), ct))
            figures.Escalations[(string)row["level"]!] = (long)row["count"]!;

        // Promises that fell due in the month unkept.
        foreach (var row in await db.Rows(
                     $"select m.promise, count(*) as count from {AnalyticsTables.MissedPromises} m {basis.JoinCase("m")} where {In("m.due_at")} and {cases.OfComplaint("m.complaint_id")} group by m.promise",
                     Parameters(), ct))
            figures.MissedPromises[(string)row["promise"]!] = (long)row["count"]!;

        foreach (var row in await db.Rows(
                     $"""
                     select mediation_outcome as outcome, count(*) as count from {AnalyticsTables.Cases}
                     where mediation_ended_at is not null and {CaseIn("mediation_ended_at")} and {cases.OnCase()} group by mediation_outcome
                     """, Parameters(), ct))
            figures.Mediation[(string?)row["outcome"] ?? None] = (long)row["count"]!;

        // Repeat complainants: contact keys with more than one complaint received in the month. Only counts leave
        // the database; the key itself is never selected.
        var repeat = (await db.Rows(
            $"""
            with month as (select complainant_key from {AnalyticsTables.Cases}
                           where complainant_key is not null and {Period.Contains("received_at")} and {cases.OnCase()}),
                 repeated as (select complainant_key, count(*) as complaints from month group by complainant_key having count(*) > 1)
            select (select count(*) from repeated) as complainants,
                   (select coalesce(sum(complaints), 0)::bigint from repeated) as complaints,
                   (select count(distinct m.complainant_key) from month m
                    where exists (select 1 from {AnalyticsTables.Cases} e
                                  where e.complainant_key = m.complainant_key and e.received_at < @from::timestamptz and {cases.OnCase("e")})) as complained_before
            """, Parameters(), ct)).Single();
        figures.RepeatComplainants = (long)repeat["complainants"]!;
        figures.RepeatComplaints = (long)repeat["complaints"]!;
        figures.ComplainedBefore = (long)repeat["complained_before"]!;

        return figures;
    }

    /// <summary>
    /// Keeps the name of each location where at least so many complaints were received in either month; the others, and
    /// the locations erased on a lawful request, are counted together as <see cref="Other"/>.
    /// </summary>
    private static void NameLocationsWithAtLeast(int cases, params MonthFigures[] months)
    {
        var named = months.SelectMany(m => m.Volume["location"])
            .Where(l => l.Key is not (None or PersonalData.Erased) && l.Value >= cases)
            .Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var month in months)
            month.Volume["location"] = month.Volume["location"]
                .GroupBy(l => l.Key == None || named.Contains(l.Key) ? l.Key : Other, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(l => l.Value), StringComparer.Ordinal);
    }

    private static MonthlyReport Assemble(DateTimeOffset start, DateTimeOffset end, DateTimeOffset previousStart, Basis basis, DateTimeOffset now,
        MonthFigures m, MonthFigures p)
    {
        Compared<T> Both<T>(Func<MonthFigures, T> figure) => new(figure(m), figure(p));

        IReadOnlyList<KeyedCount> Keyed(Func<MonthFigures, Dictionary<string, long>> counts, IEnumerable<string> always) =>
            always.Concat(counts(m).Keys).Concat(counts(p).Keys).Distinct()
                .Select(k => new KeyedCount(k, counts(m).GetValueOrDefault(k), counts(p).GetValueOrDefault(k)))
                .ToList();

        // A breakdown lists biggest first this month, then last month, then by name; "(none)" and "(other)" come last.
        IReadOnlyList<KeyedCount> Breakdown(string dimension, IEnumerable<string> always) =>
            Keyed(f => f.Volume[dimension], always)
                .OrderBy(k => k.Key is None or Other)
                .ThenByDescending(k => k.ThisMonth).ThenByDescending(k => k.PreviousMonth)
                .ThenBy(k => k.Key, StringComparer.Ordinal)
                .ToList();

        // Hot spots: the most complained-of this month, ties by name; complaints with none recorded, or counted as other, are no spot.
        IReadOnlyList<KeyedCount> Top(string dimension) =>
            Keyed(f => f.Volume[dimension], [])
                .Where(k => k.Key is not (None or Other) && k.ThisMonth > 0)
                .OrderByDescending(k => k.ThisMonth).ThenBy(k => k.Key, StringComparer.Ordinal)
                .Take(TopCount)
                .ToList();

        (long Count, double? Median, double? P90) Stage(MonthFigures f, string stage) => f.Stages.GetValueOrDefault(stage);

        return new MonthlyReport(
            Month: start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            PreviousMonth: previousStart.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            From: start,
            To: end,
            Basis: basis.Name,
            GeneratedAt: now,
            Volume: new MonthlyVolume(
                Breakdown("channel", Enum.GetNames<Channel>()),
                Breakdown("category", []),
                Breakdown("department", []),
                Breakdown("location", [])),
            Flow: new MonthlyFlow(Both(f => f.Received), Both(f => f.Closed), Both(f => f.Backlog)),
            OnTime: new MonthlyOnTime(Both(f => f.Due), Both(f => f.Met), Both(f => Rate(f.Met, f.Due))),
            CycleTimes: Stages.Select(s => new MonthlyStage(s.Stage,
                Both(f => Stage(f, s.Stage).Count), Both(f => Stage(f, s.Stage).Median), Both(f => Stage(f, s.Stage).P90))).ToList(),
            Satisfaction: new MonthlySatisfaction(Both(f => f.Rated), Both(f => f.Satisfied),
                Both(f => Rate(f.Satisfied, f.Rated)), Both(f => f.MeanScore)),
            ReReviews: new MonthlyReReviews(Both(f => f.ReReviewsRequested), Both(f => f.ReReviewed), Both(f => f.ReReviewsWithdrawn),
                Both(f => f.ReReviewsWaiting), Both(f => f.SatisfiedAfterReReview)),
            Escalations: Keyed(f => f.Escalations, EscalationLevels),
            MissedPromises: Keyed(f => f.MissedPromises, OfficePromises),
            MediationOutcomes: Keyed(f => f.Mediation, MediationOutcomes),
            RepeatComplainants: new MonthlyRepeatComplainants(Both(f => f.RepeatComplainants), Both(f => f.RepeatComplaints),
                Both(f => f.ComplainedBefore)),
            TopCategories: Top("category"),
            TopLocations: Top("location"));
    }
}

using Complaints.Api.Analytics.Satisfaction;
using Complaints.Api.ApiReference;
using Complaints.Projections.Analytics;
using Wolverine.Http;

namespace Complaints.Api.Analytics.CycleTimes;

public sealed record StageTimes(string Stage, IReadOnlyDictionary<string, string?> Group, long Count,
    double? MeanHours, double? MedianHours, double? P90Hours);

public sealed record PromiseCompliance(string Promise, IReadOnlyDictionary<string, string?> Group, long Due, long Met, double? Rate);

public sealed record CycleTimeFigures(IReadOnlyList<StageTimes> Stages, IReadOnlyList<PromiseCompliance> Promises);

public static class GetCycleTimesEndpoint
{
    private static readonly Dictionary<string, string> By = new()
    {
        ["month"] = Dimensions.Month("ends_at"),
        ["category"] = "category",
        ["department"] = "department",
        ["channel"] = "channel",
    };

    /// <summary>Get cycle times and promises kept</summary>
    /// <remarks>
    /// For each stage, the cases whose stage ended in the period: count, mean, median and p90 in hours, computed by
    /// PostgreSQL. Promise compliance: of the promises that fell due in the period, the share kept on time.
    /// </remarks>
    /// <param name="from">The period's start, a date or time (ISO 8601; UTC when no offset is given); open when left out.</param>
    /// <param name="to">The period's end (not included); open when left out.</param>
    /// <param name="by">Break the figures down by any of month, category, department, channel (comma-separated).</param>
    /// <param name="quality">Which cases to count by their data-quality notes on imported history: all (the default), clean (none) or noted.</param>
    [Authorize(Policy = Policies.ReadAnalytics)]
    [Tags(Capabilities.Analytics)]
    [WolverineGet("/api/analytics/cycle-times", OperationId = "GetCycleTimes")]
    [SendsHeader(StatusCodes.Status200OK, ApiHeaders.Age)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "The period, the breakdown or the quality cannot be read.")]
    public static Task<CycleTimeFigures> Get(AnalyticsDatabase db, AnalyticsAnswers answers, HttpContext http, TimeProvider clock, CancellationToken ct,
        string? from = null, string? to = null, string? by = null, string? quality = null)
    {
        var period = Period.Parse(from, to);
        var dims = Dimensions.Parse(by, By);
        var cases = DataQualityFilter.Parse(quality);
        return answers.Get($"cycle-times {period.Key} {string.Join(',', dims)} {cases}", http, token => Compute(db, clock, period, dims, cases, token), ct);
    }

    private static async Task<CycleTimeFigures> Compute(AnalyticsDatabase db, TimeProvider clock, Period period, IReadOnlyList<string> dims,
        DataQuality cases, CancellationToken ct)
    {
        var select = string.Concat(dims.Select(d => $"{By[d]} as \"{d}\", "));
        var group = string.Concat(dims.Select(d => ", " + By[d]));

        // One scan of the cases table: each case becomes one (stage, start, end) row per stage by a lateral values
        // list, and one aggregation groups them by stage (the same rows a union all of one scan per stage gave).
        var stages = string.Join(",\n        ", Figures.Stages.Select(s => $"('{s.Stage}', c.{s.Start}, c.{s.End})"));
        var stageRows = await db.Rows(
            $"""
            with hours as (
                select v.stage, c.channel, c.category, c.department, v.starts_at, v.ends_at,
                       extract(epoch from v.ends_at - v.starts_at) / 3600.0 as hours
                from {AnalyticsTables.Cases} c
                cross join lateral (values
                    {stages}) as v(stage, starts_at, ends_at)
                where v.ends_at is not null and {cases.OnCase("c")})
            select stage, {select} count(*) as count, avg(hours)::float8 as mean,
                   percentile_cont(0.5) within group (order by hours) as median,
                   percentile_cont(0.9) within group (order by hours) as p90
            from hours where {Period.Contains("ends_at")}
            group by stage{group} order by stage{group}
            """, period.Parameters(), ct);

        var promises = string.Join(",\n        ", Figures.Promises.Select(p => $"('{p.Promise}', c.{p.DueBy}, c.{p.Kept})"));
        var promiseRows = await db.Rows(
            $"""
            with promise as (
                select v.promise, c.channel, c.category, c.department, v.ends_at,
                       v.kept_at is not null and v.kept_at <= v.ends_at as kept
                from {AnalyticsTables.Cases} c
                cross join lateral (values
                    {promises}) as v(promise, ends_at, kept_at)
                where v.ends_at is not null and v.ends_at <= @now and {cases.OnCase("c")})
            select promise, {select} count(*) as due, count(*) filter (where kept) as met
            from promise where {Period.Contains("ends_at")}
            group by promise{group} order by promise{group}
            """, [.. period.Parameters(), ("now", clock.GetUtcNow().UtcDateTime)], ct);

        return new CycleTimeFigures(
            stageRows.Select(r => new StageTimes((string)r["stage"]!, dims.ToDictionary(d => d, d => (string?)r[d]), (long)r["count"]!,
                Figures.Round(r["mean"]), Figures.Round(r["median"]), Figures.Round(r["p90"]))).ToList(),
            promiseRows.Select(r => new PromiseCompliance((string)r["promise"]!, dims.ToDictionary(d => d, d => (string?)r[d]),
                (long)r["due"]!, (long)r["met"]!, Figures.Rate(r["met"], r["due"]))).ToList());
    }
}

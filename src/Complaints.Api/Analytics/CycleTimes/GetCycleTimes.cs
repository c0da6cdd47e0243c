using Complaints.Api.Analytics.Satisfaction;
using Complaints.Api.ApiReference;
using Complaints.Projections.Analytics;
using Wolverine.Http;

namespace Complaints.Api.Analytics.CycleTimes;

public sealed record StageTimes(string Stage, IReadOnlyDictionary<string, string?> Group, long Count,
    double? MeanHours, double? MedianHours, double? P90Hours);

public sealed record PromiseCompliance(string Promise, IReadOnlyDictionary<string, string?> Group, long Due, long Met, double? Rate);

/// <summary>
/// What became of the cases: under basis=event, how many were received, first resolved and closed in the period (three
/// flows, no shares); under basis=received, how many were received in the period and how many of those have been
/// resolved and closed since, with their shares. Days to the resolution: whole days (24 hours each, rounded down)
/// from receipt to the first resolution, the median over the cases resolved.
/// </summary>
public sealed record CaseOutcomes(IReadOnlyDictionary<string, string?> Group, long Received, long Resolved, long Closed,
    double? ResolvedShare, double? ClosedShare, double? MedianDaysToResolved);

public sealed record CycleTimeFigures(IReadOnlyList<StageTimes> Stages, IReadOnlyList<PromiseCompliance> Promises,
    IReadOnlyList<CaseOutcomes> Cases);

public static class GetCycleTimesEndpoint
{
    /// <summary>The breakdowns, over rows that carry the case's dimensions, its receipt and the time the figure ended at.</summary>
    private static Dictionary<string, string> By(Basis basis) => new()
    {
        ["month"] = Dimensions.Month(basis.Column("ends_at", caseAlias: "")),
        ["category"] = "category",
        ["department"] = "department",
        ["channel"] = "channel",
    };

    /// <summary>Get cycle times and promises kept</summary>
    /// <remarks>
    /// For each stage, the cases whose stage ended in the period: count, mean, median and p90 in hours, computed by
    /// PostgreSQL. Promise compliance: of the promises that fell due in the period, the share kept on time. Cases: how
    /// many were received, resolved and closed, and the median whole days to the first resolution. With
    /// basis=received, every figure is over the complaints received in the period, whenever their stages ended.
    /// </remarks>
    /// <param name="from">The period's start, a date or time (ISO 8601; UTC when no offset is given); open when left out.</param>
    /// <param name="to">The period's end (not included); open when left out.</param>
    /// <param name="by">Break the figures down by any of month, category, department, channel (comma-separated).</param>
    /// <param name="basis">event (the default): by when each stage ended or promise fell due; received: over the complaints received in the period.</param>
    /// <param name="quality">Which cases to count by their data-quality notes on imported history: all (the default), clean (none) or noted.</param>
    [Authorize(Policy = Policies.ReadAnalytics)]
    [Tags(Capabilities.Analytics)]
    [WolverineGet("/api/analytics/cycle-times", OperationId = "GetCycleTimes")]
    [SendsHeader(StatusCodes.Status200OK, ApiHeaders.Age)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "The period, the breakdown, the basis or the quality cannot be read.")]
    public static Task<CycleTimeFigures> Get(AnalyticsDatabase db, AnalyticsAnswers answers, HttpContext http, TimeProvider clock, CancellationToken ct,
        string? from = null, string? to = null, string? by = null, string? basis = null, string? quality = null)
    {
        var period = Period.Parse(from, to);
        var periodBasis = Basis.Parse(basis);
        var dims = Dimensions.Parse(by, By(periodBasis));
        var cases = DataQualityFilter.Parse(quality);
        return answers.Get($"cycle-times {periodBasis} {period.Key} {string.Join(',', dims)} {cases}", http,
            token => Compute(db, clock, period, periodBasis, dims, cases, token), ct);
    }

    private static async Task<CycleTimeFigures> Compute(AnalyticsDatabase db, TimeProvider clock, Period period, Basis basis, IReadOnlyList<string> dims,
        DataQuality cases, CancellationToken ct)
    {
        var columns = By(basis);
        var select = string.Concat(dims.Select(d => $"{columns[d]} as \"{d}\", "));
        var group = string.Concat(dims.Select(d => ", " + columns[d]));
        var inPeriod = Period.Contains(basis.Column("ends_at", caseAlias: ""));

        // One scan of the cases table: each case becomes one (stage, start, end) row per stage by a lateral values
        // list, and one aggregation groups them by stage (the same rows a union all of one scan per stage gave).
        var stages = string.Join(",\n        ", Figures.Stages.Select(s => $"('{s.Stage}', c.{s.Start}, c.{s.End})"));
        var stageRows = await db.Rows(
            $"""
            with hours as (
                select v.stage, c.channel, c.category, c.department, c.received_at, v.starts_at, v.ends_at,
                       extract(epoch from v.ends_at - v.starts_at) / 3600.0 as hours
                from {AnalyticsTables.Cases} c
                cross join lateral (values
                    {stages}) as v(stage, starts_at, ends_at)
                where v.ends_at is not null and {cases.OnCase("c")})
            select stage, {select} count(*) as count, avg(hours)::float8 as mean,
                   percentile_cont(0.5) within group (order by hours) as median,
                   percentile_cont(0.9) within group (order by hours) as p90
            from hours where {inPeriod}
            group by stage{group} order by stage{group}
            """, period.Parameters(), ct);

        var promises = string.Join(",\n        ", Figures.Promises.Select(p => $"('{p.Promise}', c.{p.DueBy}, c.{p.Kept})"));
        var promiseRows = await db.Rows(
            $"""
            with promise as (
                select v.promise, c.channel, c.category, c.department, c.received_at, v.ends_at,
                       v.kept_at is not null and v.kept_at <= v.ends_at as kept
                from {AnalyticsTables.Cases} c
                cross join lateral (values
                    {promises}) as v(promise, ends_at, kept_at)
                where v.ends_at is not null and v.ends_at <= @now and {cases.OnCase("c")})
            select promise, {select} count(*) as due, count(*) filter (where kept) as met
            from promise where {inPeriod}
            group by promise{group} order by promise{group}
            """, [.. period.Parameters(), ("now", clock.GetUtcNow().UtcDateTime)], ct);

        // Each case as up to three rows, one per outcome it has reached, dated when it reached it.
        var caseRows = await db.Rows(
            $"""
            with outcome as (
                select v.outcome, c.channel, c.category, c.department, c.received_at, v.ends_at,
                       case when v.outcome = 'resolved' then floor(extract(epoch from v.ends_at - c.received_at) / 86400) end as days
                from {AnalyticsTables.Cases} c
                cross join lateral (values
                    ('received', c.received_at), ('resolved', c.first_resolved_at), ('closed', c.closed_at)) as v(outcome, ends_at)
                where v.ends_at is not null and {cases.OnCase("c")})
            select {select} count(*) filter (where outcome = 'received') as received,
                   count(*) filter (where outcome = 'resolved') as resolved,
                   count(*) filter (where outcome = 'closed') as closed,
                   percentile_cont(0.5) within group (order by days) as median_days
            from outcome where {inPeriod}
            {(dims.Count == 0 ? "" : $"group by {group[2..]} order by {group[2..]}")}
            """, period.Parameters(), ct);
        double? Share(Dictionary<string, object?> r, string part) => basis == Basis.Received ? Figures.Rate(r[part], r["received"]) : null;

        return new CycleTimeFigures(
            stageRows.Select(r => new StageTimes((string)r["stage"]!, dims.ToDictionary(d => d, d => (string?)r[d]), (long)r["count"]!,
                Figures.Round(r["mean"]), Figures.Round(r["median"]), Figures.Round(r["p90"]))).ToList(),
            promiseRows.Select(r => new PromiseCompliance((string)r["promise"]!, dims.ToDictionary(d => d, d => (string?)r[d]),
                (long)r["due"]!, (long)r["met"]!, Figures.Rate(r["met"], r["due"]))).ToList(),
            caseRows.Where(r => (long)r["received"]! + (long)r["resolved"]! + (long)r["closed"]! > 0).Select(r => new CaseOutcomes(dims.ToDictionary(d => d, d => (string?)r[d]), (long)r["received"]!, (long)r["resolved"]!,
                (long)r["closed"]!, Share(r, "resolved"), Share(r, "closed"), Figures.Round(r["median_days"]))).ToList());
    }
}

using Complaints.Api.Analytics.Satisfaction;
using Complaints.Projections.Analytics;
using Wolverine.Http;

namespace Complaints.Api.Analytics.CycleTimes;

public sealed record StageTimes(string Stage, IReadOnlyDictionary<string, string?> Group, long Count,
    double? MeanHours, double? MedianHours, double? P90Hours);

public sealed record PromiseCompliance(string Promise, IReadOnlyDictionary<string, string?> Group, long Due, long Met, double? Rate);

public sealed record CycleTimeFigures(IReadOnlyList<StageTimes> Stages, IReadOnlyList<PromiseCompliance> Promises);

public static class GetCycleTimesEndpoint
{
    /// <summary>Each stage: the name, the column it starts from and the one it ends at.</summary>
    public static readonly (string Stage, string Start, string End)[] Stages =
    [
        ("receivedToAccepted", "received_at", "accepted_at"),
        ("receivedToAssigned", "received_at", "first_assigned_at"),
        ("assignedToFirstResponse", "first_assigned_at", "first_response_at"),
        ("receivedToResolved", "received_at", "first_resolved_at"),
        ("resolvedToFollowUp", "first_resolved_at", "first_follow_up_at"),
        ("receivedToClosed", "received_at", "closed_at"),
    ];

    /// <summary>Each promise: the column holding the promised time, and the column of the step it promised.</summary>
    public static readonly (string Promise, string DueBy, string Kept)[] Promises =
    [
        ("resolutionDue", "due_at", "first_resolved_at"),
        ("expectedResolutionDate", "expected_by", "first_resolved_at"),
    ];

    private static readonly Dictionary<string, string> By = new()
    {
        ["month"] = Dimensions.Month("ends_at"),
        ["category"] = "category",
        ["department"] = "department",
        ["channel"] = "channel",
    };

    /// <summary>
    /// For each stage, the cases whose stage ended in the period: count, mean, median and p90 in hours, computed by
    /// PostgreSQL. Promise compliance: of the promises that fell due in the period, the share kept on time.
    /// </summary>
    [Authorize(Policy = Policies.ReadAnalytics)]
    [WolverineGet("/api/analytics/cycle-times")]
    public static async Task<CycleTimeFigures> Get(AnalyticsDatabase db, TimeProvider clock, CancellationToken ct,
        string? from = null, string? to = null, string? by = null)
    {
        var period = Period.Parse(from, to);
        var dims = Dimensions.Parse(by, By);
        var select = string.Concat(dims.Select(d => $"{By[d]} as \"{d}\", "));
        var group = string.Concat(dims.Select(d => ", " + By[d]));

        var stages = string.Join("\n union all\n", Stages.Select(s =>
            $"select '{s.Stage}' as stage, channel, category, department, {s.Start} as starts_at, {s.End} as ends_at from {AnalyticsTables.Cases} where {s.End} is not null"));
        var stageRows = await db.Rows(
            $"""
            with stage as ({stages}), hours as (select *, extract(epoch from ends_at - starts_at) / 3600.0 as hours from stage)
            select stage, {select} count(*) as count, avg(hours)::float8 as mean,
                   percentile_cont(0.5) within group (order by hours) as median,
                   percentile_cont(0.9) within group (order by hours) as p90
            from hours where {Period.Contains("ends_at")}
            group by stage{group} order by stage{group}
            """, period.Parameters(), ct);

        var promises = string.Join("\n union all\n", Promises.Select(p =>
            $"select '{p.Promise}' as promise, channel, category, department, {p.DueBy} as ends_at, {p.Kept} is not null and {p.Kept} <= {p.DueBy} as kept from {AnalyticsTables.Cases} where {p.DueBy} is not null and {p.DueBy} <= @now"));
        var promiseRows = await db.Rows(
            $"""
            with promise as ({promises})
            select promise, {select} count(*) as due, count(*) filter (where kept) as met
            from promise where {Period.Contains("ends_at")}
            group by promise{group} order by promise{group}
            """, [.. period.Parameters(), ("now", clock.GetUtcNow().UtcDateTime)], ct);

        return new CycleTimeFigures(
            stageRows.Select(r => new StageTimes((string)r["stage"]!, dims.ToDictionary(d => d, d => (string?)r[d]), (long)r["count"]!,
                GetSatisfactionEndpoint.Round(r["mean"]), GetSatisfactionEndpoint.Round(r["median"]), GetSatisfactionEndpoint.Round(r["p90"]))).ToList(),
            promiseRows.Select(r => new PromiseCompliance((string)r["promise"]!, dims.ToDictionary(d => d, d => (string?)r[d]),
                (long)r["due"]!, (long)r["met"]!, GetSatisfactionEndpoint.Rate(r["met"], r["due"]))).ToList());
    }
}

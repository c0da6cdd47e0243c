using System.Globalization;
using System.Net;
using Complaints.Domain;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 6: reads with 8 concurrent readers (closed loop) while commands run at 50 % of saturation in the background:
/// the case details by id, the case list with filters, the re-review queue, and each analytics endpoint (satisfaction,
/// cycle times, the monthly report), p50/p95/p99. The baseline is the API's floor in the same conditions: the
/// liveness endpoint, which touches neither the database nor authentication.
/// </summary>
public sealed class ReadsStep(BenchContext ctx)
{
    public const string Name = "reads";

    /// <summary>The endpoints the analytics goal (p95 under 100 ms) is about.</summary>
    public static readonly string[] AnalyticsEndpoints = ["satisfaction", "cycle times", "monthly report"];

    public Dictionary<string, LoadResult> Results { get; } = [];

    public async Task Run()
    {
        var ids = (await ctx.Db.Rows("select id from complaints.mt_doc_complaintdetails tablesample system (10) limit 2000"))
            .Select(r => (Guid)r[0]!).ToArray();
        if (ids.Length == 0) ids = (await ctx.Db.Rows("select id from complaints.mt_doc_complaintdetails limit 2000")).Select(r => (Guid)r[0]!).ToArray();
        var categories = ctx.Workload.Categories;
        var departments = ctx.Policies.Routing.DepartmentByCategory.Values.Distinct().ToArray();
        var month = DateTimeOffset.UtcNow.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var quarterAgo = DateTimeOffset.UtcNow.AddDays(-90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] statuses = [nameof(ComplaintStatus.Assigned), nameof(ComplaintStatus.Investigating), nameof(ComplaintStatus.Closed), nameof(ComplaintStatus.Resolved)];

        var reads = new (string Name, Func<Random, string> Url)[]
        {
            ("floor: /health/live", _ => "/health/live"),
            ("case details by id", r => $"/api/complaints/{ids[r.Next(ids.Length)]}"),
            ("case list with filters", r => r.Next(5) switch
            {
                0 => $"/api/complaints?status={statuses[r.Next(statuses.Length)]}&pageSize=50",
                1 => $"/api/complaints?category={Uri.EscapeDataString(categories[r.Next(categories.Length)])}&status={statuses[r.Next(statuses.Length)]}&pageSize=50",
                2 => $"/api/complaints?department={Uri.EscapeDataString(departments.Length == 0 ? "x" : departments[r.Next(departments.Length)])}&sort=dueAt&pageSize=50",
                3 => "/api/complaints?overdue=true&pageSize=50",
                _ => $"/api/complaints?receivedFrom={quarterAgo}&channel=Phone&page={1 + r.Next(5)}&pageSize=50",
            }),
            ("re-review queue", _ => "/api/re-reviews"),
            ("satisfaction", r => r.Next(3) switch
            {
                0 => "/api/analytics/satisfaction",
                1 => "/api/analytics/satisfaction?by=month",
                _ => $"/api/analytics/satisfaction?from={quarterAgo}&by=department,round",
            }),
            ("cycle times", r => r.Next(3) switch
            {
                0 => "/api/analytics/cycle-times",
                1 => "/api/analytics/cycle-times?by=month",
                _ => $"/api/analytics/cycle-times?from={quarterAgo}&by=category",
            }),
            ("monthly report", _ => $"/api/reports/monthly/{month}"),
        };

        using var stop = new CancellationTokenSource();
        var rate = ctx.HttpSaturation!.Value * 0.5;
        var background = LoadGenerator.OpenLoop("commands during reads", rate, ctx.Options.Step * (reads.Length + 2), ctx.Http!.Next, stop: stop.Token);
        var client = ctx.ReaderClient;
        try
        {
            foreach (var (name, url) in reads)
            {
                // A few unmeasured requests first: the endpoint's first call compiles its code and warms its plan.
                for (var i = 0; i < 3; i++) await Read(client, url(Random.Shared));
                var result = await LoadGenerator.Readers(name, ctx.Options.Readers, ctx.Options.Step, () => Read(client, url(Random.Shared)));
                ctx.Log("  " + result);
                Results[name] = result;
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
        var commands = await background;
        ctx.Log("  " + commands);

        var floor = Results[reads[0].Name];
        foreach (var (name, result) in Results)
        {
            var analytics = AnalyticsEndpoints.Contains(name);
            foreach (var (label, p) in new[] { ("p50", 50.0), ("p95", 95.0) })
                ctx.Report.Add(new BenchRow("6 reads", $"{name} {label}, {ctx.Options.Readers} readers, commands at 50 %", result.Latency.Ms(p), "ms",
                    name == reads[0].Name ? null : $"floor {label}", name == reads[0].Name ? null : floor.Latency.Ms(p),
                    name == reads[0].Name ? null : MartenDirectStep.Ratio(result.Latency.Ms(p), floor.Latency.Ms(p)),
                    Goal: analytics && p == 95 ? "< 100 ms" : null, Met: analytics && p == 95 ? result.Latency.Ms(95) < 100 : null,
                    Note: p == 50 ? $"{result.Throughput:N0} reads/s" + (result.Failed > 0 ? $", {result.Failed} failed" : "") : null));
        }
        ctx.Report.Add(new BenchRow("6 reads", "commands in the background", commands.Throughput, "commands/s",
            Note: $"target {rate:N0}/s, p99 {commands.Latency.Ms(99):N1} ms"));
    }

    private static async Task<Outcome> Read(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        return response.StatusCode == HttpStatusCode.OK ? Outcome.Ok : Outcome.Failed;
    }
}

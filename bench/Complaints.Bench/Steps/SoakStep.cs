using System.Net;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 7 (the memory goal): the API under commands at 50 % of saturation and two readers going through the read
/// endpoints, for --soak-minutes. The API's working set (resident set, /proc/PID/status) is sampled twice a second;
/// the peak over the first window of the soak is the baseline of the peak over the last (each window a tenth of the
/// soak, at least 10 s when the soak is long enough). Flat: the end is within 10 % of the start.
/// </summary>
public sealed class SoakStep(BenchContext ctx)
{
    public const string Name = "soak";
    public const double FlatWithin = 1.10;

    public double? StartPeak { get; private set; }
    public double? EndPeak { get; private set; }

    public async Task Run()
    {
        var api = ctx.Api!;
        var duration = TimeSpan.FromMinutes(ctx.Options.SoakMinutes);
        var window = TimeSpan.FromTicks(Math.Max(duration.Ticks / 10, Math.Min(TimeSpan.FromSeconds(10).Ticks, duration.Ticks / 3)));
        var rate = ctx.HttpSaturation!.Value * 0.5;
        var startedAt = api.Uptime;
        var client = ctx.ReaderClient;
        string[] urls = ["/api/analytics/satisfaction?by=month", "/api/analytics/cycle-times", "/api/re-reviews", "/api/complaints?pageSize=50",
            $"/api/reports/monthly/{DateTimeOffset.UtcNow.AddMonths(-1):yyyy-MM}"];
        var next = 0;

        using var stop = new CancellationTokenSource(duration);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(urls[Interlocked.Increment(ref next) % urls.Length], stop.Token);
                    if (response.StatusCode != HttpStatusCode.OK) await Task.Delay(100, stop.Token);
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })).ToList();
        var load = await LoadGenerator.OpenLoop("soak", rate, duration, ctx.Http!.Next);
        await Task.WhenAll(readers);
        var endedAt = api.Uptime;
        ctx.Log("  " + load);

        StartPeak = api.PeakMiB(startedAt, startedAt + window);
        EndPeak = api.PeakMiB(endedAt - window, endedAt + TimeSpan.FromSeconds(1));
        var ratio = MartenDirectStep.Ratio(EndPeak, StartPeak);
        ctx.Log($"  API working set: peak {StartPeak:N0} MiB in the first {window.TotalSeconds:N0} s, {EndPeak:N0} MiB in the last");
        ctx.Report.Add(new BenchRow("7 memory soak", $"API peak working set, last {window.TotalSeconds:N0} s of {duration.TotalMinutes:0.##} min", EndPeak, "MiB",
            $"peak in the first {window.TotalSeconds:N0} s", StartPeak, ratio, Goal: $"≤ {FlatWithin:0.00}×", Met: ratio <= FlatWithin,
            Note: $"{load.Throughput:N0} commands/s, p99 {load.Latency.Ms(99):N1} ms" + MartenDirectStep.Conflicts(load)));
    }
}

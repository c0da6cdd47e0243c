using Complaints.Bench.Steps;

namespace Complaints.Bench;

/// <summary>The speeds the issue asks for, judged on the figures of one run.</summary>
public static class Goals
{
    public const double HttpToMarten = 0.5;
    public const double HttpToRaw = 0.3;
    public const double P99ToMarten = 3;
    public const double LagP99Ms = 300;
    public const double AnalyticsP95Ms = 100;

    public static void Judge(BenchContext ctx, ProjectionLagStep? lag, RebuildStep? rebuild, ReadsStep? reads, SoakStep? soak)
    {
        var goals = ctx.Report.Goals;
        var c = ctx.GoalConcurrency;
        var at = c == BenchOptions.GoalConcurrency ? "c=16" : $"c={c} (16 was not in the sweep)";
        var http = ctx.Sweep.GetValueOrDefault((BenchContext.Writers.Http, c))?.Throughput;
        var marten = ctx.Sweep.GetValueOrDefault((BenchContext.Writers.MartenCommand, c))?.Throughput;
        var (rawName, raw) = ctx.BestRaw(c);

        goals.Add(Ratio($"full command path against Marten direct, {at}", $"≥ {HttpToMarten:0.0}×", http, marten,
            $"HTTP {Num(http)} vs Marten direct {Num(marten)} commands/s", r => r >= HttpToMarten));
        goals.Add(Ratio($"full command path against raw PostgreSQL for the same rows, {at}", $"≥ {HttpToRaw:0.0}×", http, raw,
            $"HTTP {Num(http)} vs {rawName ?? "raw"} {Num(raw)} commands/s", r => r >= HttpToRaw));

        var p99 = ctx.HttpAt50?.Latency.Ms(99);
        var martenP99 = ctx.MartenAt50?.Latency.Ms(99);
        goals.Add(Ratio("p99 command latency at 50 % load against Marten direct's p99 at 50 % of its saturation", $"≤ {P99ToMarten:0}×", p99, martenP99,
            $"HTTP p99 {Num(p99)} ms vs Marten direct p99 {Num(martenP99)} ms", r => r <= P99ToMarten));

        var lagP99 = lag?.LagP99;
        goals.Add(new BenchGoal("projection lag p99 at 70 % load", $"< {LagP99Ms:0} ms", lagP99,
            lagP99 is null ? "not measured" : $"{Num(lagP99)} ms", lagP99 is null ? null : lagP99 < LagP99Ms));

        if (rebuild?.ScanRate is { } scan && rebuild.Rates.Count > 0)
        {
            var worst = rebuild.Rates.MinBy(r => r.Value);
            goals.Add(new BenchGoal("rebuild of each projection against the raw scan rate", $"≥ {RebuildStep.Goal:0.0}×", worst.Value / scan,
                string.Join(", ", rebuild.Rates.Select(r => $"{r.Key} {r.Value / scan:0.00}× ({Num(r.Value)} events/s)")) + $"; raw scan {Num(scan)} events/s",
                worst.Value / scan >= RebuildStep.Goal));
        }
        else goals.Add(new BenchGoal("rebuild of each projection against the raw scan rate", $"≥ {RebuildStep.Goal:0.0}×", null, "not measured", null));

        var analytics = reads?.Results.Where(r => ReadsStep.AnalyticsEndpoints.Contains(r.Key)).ToList() ?? [];
        if (analytics.Count > 0)
        {
            var worst = analytics.Max(r => r.Value.Latency.Ms(95) ?? double.MaxValue);
            goals.Add(new BenchGoal($"analytics endpoints p95 while commands run, at {ctx.Report.Population?.Complaints:N0} complaints", $"< {AnalyticsP95Ms:0} ms",
                worst, string.Join(", ", analytics.Select(r => $"{r.Key} {Num(r.Value.Latency.Ms(95))} ms")), worst < AnalyticsP95Ms));
        }
        else goals.Add(new BenchGoal("analytics endpoints p95 while commands run", $"< {AnalyticsP95Ms:0} ms", null, "not measured", null));

        if (soak?.StartPeak is { } start && soak.EndPeak is { } end)
            goals.Add(new BenchGoal($"API memory flat over a {ctx.Options.SoakMinutes:0.##}-minute soak", $"end peak ≤ {SoakStep.FlatWithin:0.00}× start peak",
                end / start, $"peak working set {start:N0} MiB at the start, {end:N0} MiB at the end ({end / start:0.00}×)", end / start <= SoakStep.FlatWithin));
        else goals.Add(new BenchGoal("API memory flat over the soak", $"end peak ≤ {SoakStep.FlatWithin:0.00}× start peak", null, "not measured (--soak-minutes 0)", null));
    }

    private static BenchGoal Ratio(string name, string target, double? value, double? baseline, string text, Func<double, bool> met)
    {
        var ratio = value is { } v && baseline is { } b && b > 0 ? v / b : (double?)null;
        return new BenchGoal(name, target, ratio, ratio is null ? "not measured" : $"{ratio:0.00}× ({text})", ratio is { } r ? met(r) : null);
    }

    private static string Num(double? value) => value is { } v ? BenchReport.Format(v) : "—";
}

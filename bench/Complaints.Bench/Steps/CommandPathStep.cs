namespace Complaints.Bench.Steps;

/// <summary>
/// Step 3: the full command path, HTTP → Wolverine → decision → Marten, on the real API in its own process. Closed
/// loop at each concurrency finds the throughput at saturation; then open loop (fixed rate, latency from the
/// scheduled time) at 50 % and 80 % of it.
/// </summary>
public sealed class CommandPathStep(BenchContext ctx)
{
    public const string Name = "http";

    public async Task Run()
    {
        var http = ctx.Http!;
        await ctx.Workload.WarmUp(http.Execute);
        await LoadGenerator.ClosedLoop("warm-up", ctx.GoalConcurrency, ctx.Options.SteadyWarmUp, http.Next);
        foreach (var c in ctx.Options.Concurrency)
        {
            var cpu = await CpuMeter.Start(ctx);
            var result = await LoadGenerator.ClosedLoop("http", c, ctx.Options.Step, http.Next);
            var spent = await cpu.Stop();
            var done = Math.Max(1, result.Ok + result.Conflicts);
            ctx.Log("  " + result + "; " + spent.PerCommand(done));
            ctx.Sweep[(BenchContext.Writers.Http, c)] = result;
            var marten = ctx.Sweep.GetValueOrDefault((BenchContext.Writers.MartenCommand, c))?.Throughput;
            var goal = c == ctx.GoalConcurrency;
            var toMarten = MartenDirectStep.Ratio(result.Throughput, marten);
            ctx.Report.Add(new BenchRow("3 command path", $"HTTP → Wolverine → Marten, c={c}", result.Throughput, "commands/s",
                marten is null ? null : "Marten direct command", marten, toMarten,
                Goal: goal ? $"≥ {Goals.HttpToMarten:0.0}×" : null, Met: goal ? toMarten >= Goals.HttpToMarten : null,
                Note: $"p99 {result.Latency.Ms(99):N1} ms" + MartenDirectStep.Conflicts(result)));
            var martenCpu = ctx.Cpu.GetValueOrDefault((BenchContext.Writers.MartenCommand, c));
            var httpCpu = (spent.ApiMs + spent.PostgresMs + spent.SuiteMs) / done;
            ctx.Report.Add(new BenchRow("3 command path", $"CPU per command, c={c} (PostgreSQL + API + load generator)", httpCpu, "ms",
                martenCpu > 0 ? "Marten direct (PostgreSQL + in process)" : null, martenCpu > 0 ? martenCpu : null,
                martenCpu > 0 ? httpCpu / martenCpu : null,
                Note: $"PostgreSQL {spent.PostgresMs / done:0.0} ms, API {spent.ApiMs / done:0.0} ms, load generator {spent.SuiteMs / done:0.0} ms"));
            var (rawName, raw) = ctx.BestRaw(c);
            var toRaw = MartenDirectStep.Ratio(result.Throughput, raw);
            if (raw is not null)
                ctx.Report.Add(new BenchRow("3 command path", $"HTTP against raw PostgreSQL, c={c}", result.Throughput, "commands/s",
                    rawName, raw, toRaw, Goal: goal ? $"≥ {Goals.HttpToRaw:0.0}×" : null, Met: goal ? toRaw >= Goals.HttpToRaw : null));
        }

        ctx.HttpSaturation = ctx.Options.Concurrency.Max(c => ctx.Sweep[(BenchContext.Writers.Http, c)].Throughput);
        var best = ctx.Options.Concurrency.MaxBy(c => ctx.Sweep[(BenchContext.Writers.Http, c)].Throughput);
        ctx.Report.Add(new BenchRow("3 command path", "throughput at saturation", ctx.HttpSaturation, "commands/s",
            ctx.MartenSaturation is null ? null : "Marten direct saturation", ctx.MartenSaturation,
            MartenDirectStep.Ratio(ctx.HttpSaturation, ctx.MartenSaturation), Note: $"at c={best}"));

        foreach (var load in new[] { 0.5, 0.8 })
        {
            var rate = ctx.HttpSaturation.Value * load;
            var result = await LoadGenerator.OpenLoop($"http at {load:P0}", rate, ctx.Options.Step, http.Next);
            ctx.Log("  " + result);
            if (load == 0.5) ctx.HttpAt50 = result;
            foreach (var (label, p) in new[] { ("p50", 50.0), ("p99", 99.0), ("p99.9", 99.9) })
            {
                var martenAt50 = load == 0.5 ? ctx.MartenAt50?.Latency.Ms(p) : null;
                var ratio = MartenDirectStep.Ratio(result.Latency.Ms(p), martenAt50);
                var goal = load == 0.5 && p == 99;
                ctx.Report.Add(new BenchRow("3 command path", $"latency {label} at {load:P0} ({rate:N0}/s, open loop)", result.Latency.Ms(p), "ms",
                    martenAt50 is null ? null : $"Marten direct {label} at 50 %", martenAt50, ratio,
                    Goal: goal ? $"≤ {Goals.P99ToMarten:0}×" : null, Met: goal ? ratio <= Goals.P99ToMarten : null,
                    Note: p == 50 ? $"achieved {result.Throughput:N0}/s" + MartenDirectStep.Conflicts(result) : null));
            }
        }
        foreach (var error in http.Errors) ctx.Report.Note("unexpected answer: " + error);
    }

    /// <summary>When the sweep did not run (--only without http), a short closed loop at the goal concurrency estimates saturation.</summary>
    public static async Task EstimateSaturation(BenchContext ctx)
    {
        await ctx.Workload.WarmUp(ctx.Http!.Execute);
        var result = await LoadGenerator.ClosedLoop("http saturation estimate", ctx.GoalConcurrency, ctx.Options.Step, ctx.Http.Next);
        ctx.Log("  " + result);
        ctx.HttpSaturation = result.Throughput;
        ctx.Report.Note($"HTTP saturation estimated at c={ctx.GoalConcurrency} only: {result.Throughput:N0} commands/s (the http step did not run).");
    }
}

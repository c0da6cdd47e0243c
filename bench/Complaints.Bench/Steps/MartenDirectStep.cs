namespace Complaints.Bench.Steps;

/// <summary>
/// Step 2: the workload's commands through a Marten session in this process — the API's database work without HTTP,
/// authentication, Wolverine or JSON (fetch for writing, decide, append, commit, load the details) — and, to show what
/// the read before the write costs, bare appends of the same kind of events. Closed loop at each concurrency; then the
/// command latency open-loop at 50 % of its saturation, the baseline of the HTTP latency goal.
/// </summary>
public sealed class MartenDirectStep(BenchContext ctx)
{
    public const string Name = "marten";

    public async Task Run()
    {
        var commands = new MartenCommands(ctx.Store, ctx.Workload);
        var appendStreams = (await Population.Investigating(ctx.Store, ctx.Policies, ctx.Options.Smoke ? 20 : 500, ctx.Workload.Categories[0]))
            .Select(s => s.Id).ToList();
        var appends = new MartenAppends(ctx.Store, ctx.Workload, appendStreams);

        await ctx.Workload.WarmUp(commands.Execute);
        await LoadGenerator.ClosedLoop("warm-up", ctx.GoalConcurrency, ctx.Options.SteadyWarmUp, commands.Next);
        await LoadGenerator.ClosedLoop("warm-up", 4, ctx.Options.WarmUp, appends.Next);
        foreach (var c in ctx.Options.Concurrency)
        {
            var cpu = await CpuMeter.Start(ctx);
            var command = await LoadGenerator.ClosedLoop("marten command", c, ctx.Options.Step, commands.Next);
            var spent = await cpu.Stop();
            ctx.Log("  " + command + "; " + spent.PerCommand(command.Ok + command.Conflicts));
            ctx.Cpu[(BenchContext.Writers.MartenCommand, c)] = (spent.SuiteMs + spent.PostgresMs) / Math.Max(1, command.Ok + command.Conflicts);
            ctx.Sweep[(BenchContext.Writers.MartenCommand, c)] = command;
            var raw = ctx.BestRaw(c);
            ctx.Report.Add(new BenchRow("2 Marten direct", $"command (fetch for writing, decide, append, load details), c={c}", command.Throughput, "commands/s",
                raw.Name, raw.Value, Ratio(command.Throughput, raw.Value),
                Note: $"p99 {command.Latency.Ms(99):N1} ms; CPU per command: PostgreSQL {spent.PostgresMs / Math.Max(1, command.Ok + command.Conflicts):0.0} ms, " +
                      $"this process {spent.SuiteMs / Math.Max(1, command.Ok + command.Conflicts):0.0} ms" + Conflicts(command)));

            var append = await LoadGenerator.ClosedLoop("marten append", c, ctx.Options.Step, appends.Next);
            ctx.Log("  " + append);
            ctx.Sweep[(BenchContext.Writers.MartenAppend, c)] = append;
            ctx.Report.Add(new BenchRow("2 Marten direct", $"append only (no read before the write), c={c}", append.Throughput, "commands/s",
                raw.Name, raw.Value, Ratio(append.Throughput, raw.Value), Note: $"p99 {append.Latency.Ms(99):N1} ms"));
        }

        ctx.MartenSaturation = ctx.Options.Concurrency.Max(c => ctx.Sweep[(BenchContext.Writers.MartenCommand, c)].Throughput);
        var rate = ctx.MartenSaturation.Value * 0.5;
        var at50 = await LoadGenerator.OpenLoop("marten command at 50 %", rate, ctx.Options.Step, commands.Next);
        ctx.Log("  " + at50);
        ctx.MartenAt50 = at50;
        ctx.Report.Add(new BenchRow("2 Marten direct", "saturation (best of the sweep)", ctx.MartenSaturation, "commands/s"));
        foreach (var (label, p) in new[] { ("p50", 50.0), ("p99", 99.0), ("p99.9", 99.9) })
            ctx.Report.Add(new BenchRow("2 Marten direct", $"command latency {label} at 50 % ({rate:N0}/s, open loop)", at50.Latency.Ms(p), "ms",
                Note: p == 50 ? $"achieved {at50.Throughput:N0}/s" : null));
    }

    public static double? Ratio(double? value, double? baseline) => value is { } v && baseline is { } b && b > 0 ? v / b : null;

    public static string Conflicts(LoadResult r) =>
        (r.Conflicts > 0 ? $", {r.Conflicts} conflicts" : "") + (r.Failed > 0 ? $", {r.Failed} failed" : "");
}

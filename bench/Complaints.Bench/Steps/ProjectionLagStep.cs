using System.Diagnostics;
using Npgsql;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 4: how long after a command commits its effect shows in the analytics (filled by the API's async daemon),
/// under 70 % of the command saturation. A sample of the committed commands (about 25 a second) is followed: the
/// analytics row of the complaint is polled every 5 ms until it exists (a new complaint) or its last_event_at reaches
/// the step's time from the command's answer. The lag runs from the moment the answer arrived, which is after the
/// commit; it misses only the few milliseconds between the commit and the answer (loading the details, the response),
/// so it is, if anything, a little short. The baseline is the command's own latency at the same load.
/// </summary>
public sealed class ProjectionLagStep(BenchContext ctx)
{
    public const string Name = "lag";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    public async Task Run()
    {
        var rate = ctx.HttpSaturation!.Value * 0.7;
        var every = Math.Max(1, (int)Math.Round(rate / 25));
        var lag = new Latencies();
        var probes = new List<Task>();
        long committed = 0, timedOut = 0;

        ctx.Http!.OnCommitted = c =>
        {
            if (Interlocked.Increment(ref committed) % every != 0) return;
            lock (probes) probes.Add(Task.Run(async () =>
            {
                if (!await Follow(c)) Interlocked.Increment(ref timedOut);
                lag.Record(Stopwatch.GetElapsedTime(c.AnsweredAt));
            }));
        };
        LoadResult load;
        try
        {
            load = await LoadGenerator.OpenLoop("http at 70 % with lag probes", rate, ctx.Options.Step * 2, ctx.Http.Next);
        }
        finally
        {
            ctx.Http.OnCommitted = null;
        }
        Task[] pending;
        lock (probes) pending = probes.ToArray();
        await Task.WhenAll(pending);
        ctx.Log("  " + load);
        ctx.Log($"  lag p50 {lag.Ms(50):N1} ms, p99 {lag.Ms(99):N1} ms over {lag.Count} probes");

        ctx.Report.Add(new BenchRow("4 projection lag", $"commit → visible in analytics, p50 at 70 % ({rate:N0}/s)", lag.Ms(50), "ms",
            "command latency p50, same load", load.Latency.Ms(50), MartenDirectStep.Ratio(lag.Ms(50), load.Latency.Ms(50)),
            Note: $"{lag.Count} probes" + (timedOut > 0 ? $", {timedOut} not visible within {GiveUp.TotalSeconds:N0} s" : "")));
        ctx.Report.Add(new BenchRow("4 projection lag", $"commit → visible in analytics, p99 at 70 % ({rate:N0}/s)", lag.Ms(99), "ms",
            "command latency p99, same load", load.Latency.Ms(99), MartenDirectStep.Ratio(lag.Ms(99), load.Latency.Ms(99)),
            Goal: $"< {Goals.LagP99Ms:0} ms", Met: lag.Ms(99) < Goals.LagP99Ms,
            Note: $"achieved {load.Throughput:N0} commands/s"));
        LagP99 = lag.Ms(99);
    }

    public double? LagP99 { get; private set; }

    private async Task<bool> Follow(Committed c)
    {
        var sql = c.Created
            ? "select true from analytics.complaint_cases where complaint_id = $1"
            : "select last_event_at >= $2 from analytics.complaint_cases where complaint_id = $1";
        // The event's time reaches PostgreSQL rounded to microseconds; a millisecond's slack cannot match an earlier step.
        var since = c.LastStepAt is { } last ? last.AddMilliseconds(-1).UtcDateTime : DateTime.MinValue;
        while (Stopwatch.GetElapsedTime(c.AnsweredAt) < GiveUp)
        {
            await using (var command = ctx.Db.DataSource.CreateCommand(sql))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = c.Id });
                if (!c.Created) command.Parameters.Add(new NpgsqlParameter { Value = since });
                if (await command.ExecuteScalarAsync() is true) return true;
            }
            await Task.Delay(Poll);
        }
        return false;
    }
}

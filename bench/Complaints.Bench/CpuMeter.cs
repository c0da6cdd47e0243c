using System.Diagnostics;

namespace Complaints.Bench;

/// <summary>CPU time spent during a measurement, by process: the figure that does not drift with the machine's other load.</summary>
public readonly record struct CpuSpent(double SuiteMs, double ApiMs, double PostgresMs)
{
    public string PerCommand(long commands) => commands <= 0
        ? "—"
        : $"CPU per command: PostgreSQL {PostgresMs / commands:0.00} ms, API {ApiMs / commands:0.00} ms, this process {SuiteMs / commands:0.00} ms";
}

/// <summary>
/// Reads the CPU time of this process, of the API's process and of the PostgreSQL backends connected to the suite's
/// database (/proc/PID/stat, utime + stime), before and after a measurement. On a 2-core machine shared with other
/// work, wall-clock throughput drifts; CPU milliseconds per command say where the work goes.
/// </summary>
public sealed class CpuMeter
{
    private readonly BenchContext _ctx;
    private readonly TimeSpan _suite;
    private readonly double _api;
    private readonly Dictionary<int, double> _backends;

    private CpuMeter(BenchContext ctx, TimeSpan suite, double api, Dictionary<int, double> backends)
    {
        _ctx = ctx;
        _suite = suite;
        _api = api;
        _backends = backends;
    }

    public static async Task<CpuMeter> Start(BenchContext ctx) =>
        new(ctx, Process.GetCurrentProcess().TotalProcessorTime, ctx.Api is { } api ? Ms(api.Pid) ?? 0 : 0, await Backends(ctx));

    public async Task<CpuSpent> Stop()
    {
        var suite = (Process.GetCurrentProcess().TotalProcessorTime - _suite).TotalMilliseconds;
        var api = _ctx.Api is { } a ? (Ms(a.Pid) ?? _api) - _api : 0;
        var postgres = 0.0;
        foreach (var (pid, ms) in await Backends(_ctx))
            postgres += ms - _backends.GetValueOrDefault(pid);
        return new CpuSpent(suite, api, postgres);
    }

    private static async Task<Dictionary<int, double>> Backends(BenchContext ctx)
    {
        var pids = await ctx.Db.Rows("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
        var result = new Dictionary<int, double>();
        foreach (var row in pids)
            if (Ms((int)row[0]!) is { } ms) result[(int)row[0]!] = ms;
        return result;
    }

    /// <summary>utime + stime of a process in milliseconds (clock ticks of 10 ms), or null when it cannot be read.</summary>
    public static double? Ms(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state is field 3, utime field 14 and stime field 15 (1-based) of the whole line.
            return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

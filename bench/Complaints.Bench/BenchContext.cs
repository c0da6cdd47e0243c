using Complaints.Api.Identity;
using Complaints.Domain;
using Marten;

namespace Complaints.Bench;

/// <summary>What the steps of one run share: the database, the store, the workload, the API process and the figures later steps build on.</summary>
public sealed class BenchContext(BenchOptions options, BenchDatabase db, DocumentStore store, Workload workload, BenchReport report,
    string resultsDirectory, string runId, Action<string> log)
{
    public BenchOptions Options { get; } = options;
    public BenchDatabase Db { get; } = db;
    public DocumentStore Store { get; } = store;
    public Workload Workload { get; } = workload;
    public ComplaintPolicies Policies => Workload.Policies;
    public BenchReport Report { get; } = report;
    public string ResultsDirectory { get; } = resultsDirectory;
    public string RunId { get; } = runId;
    public Action<string> Log { get; } = log;

    public ApiProcess? Api { get; set; }
    private HttpClient? _commands;
    private HttpClient? _readers;

    /// <summary>Commands are sent as another service would: role service.</summary>
    public HttpClient CommandClient => _commands ??= Api!.Client("bench.service", Roles.Service);

    /// <summary>Reads as a dispatcher who is also an analyst (case list, queue, analytics).</summary>
    public HttpClient ReaderClient => _readers ??= Api!.Client("bench.reader", Roles.Dispatcher, Roles.Analyst, Roles.Manager);

    public HttpCommands? Http { get; set; }

    /// <summary>Throughput of each kind of writer by concurrency.</summary>
    public Dictionary<(string Writer, int Concurrency), LoadResult> Sweep { get; } = [];

    /// <summary>CPU milliseconds per command (the database's and the client side's) by writer and concurrency.</summary>
    public Dictionary<(string Writer, int Concurrency), double> Cpu { get; } = [];

    public double? HttpSaturation { get; set; }
    public double? MartenSaturation { get; set; }
    public LoadResult? HttpAt50 { get; set; }
    public LoadResult? MartenAt50 { get; set; }

    /// <summary>The raw PostgreSQL figure for a concurrency: the better of pgbench and the Npgsql batches.</summary>
    public (string? Name, double? Value) BestRaw(int concurrency)
    {
        var pg = Sweep.GetValueOrDefault((Writers.PgBench, concurrency))?.Throughput;
        var np = Sweep.GetValueOrDefault((Writers.Npgsql, concurrency))?.Throughput;
        if (pg is null && np is null) return (null, null);
        return (pg ?? 0) >= (np ?? 0) ? ("raw PostgreSQL (pgbench)", pg) : ("raw PostgreSQL (Npgsql)", np);
    }

    public void ResetClients()
    {
        _commands?.Dispose();
        _readers?.Dispose();
        _commands = _readers = null;
        Http = null;
    }

    /// <summary>The concurrency the goals are judged at: 16, or the nearest below it that was measured.</summary>
    public int GoalConcurrency =>
        Options.Concurrency.Where(c => c <= BenchOptions.GoalConcurrency).DefaultIfEmpty(Options.Concurrency.Min()).Max();

    public static class Writers
    {
        public const string PgBench = "pgbench";
        public const string Npgsql = "npgsql";
        public const string MartenCommand = "marten-command";
        public const string MartenAppend = "marten-append";
        public const string Http = "http";
    }
}

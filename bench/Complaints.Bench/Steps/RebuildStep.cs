using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Complaints.Domain;

namespace Complaints.Bench.Steps;

/// <summary>
/// Step 5: rebuilding every projection over the whole store with Marten's daemon, in this process, the API stopped:
/// the analytics (async) and the two inline ones (the write model and the case details). Events per second, each
/// against the baseline: a raw sequential scan of the same events in order with each one deserialised to its CLR
/// type (Npgsql and System.Text.Json, no Marten), which is the most a single-pass rebuild can read.
/// </summary>
public sealed class RebuildStep(BenchContext ctx)
{
    public const string Name = "rebuild";
    public const double Goal = 0.5;

    public Dictionary<string, double> Rates { get; } = [];
    public double? ScanRate { get; private set; }

    public async Task Run()
    {
        var events = await ctx.Db.Scalar<long>("select count(*) from complaints.mt_events");
        ScanRate = await Scan(events);
        ctx.Log($"  raw scan and deserialisation: {ScanRate:N0} events/s");
        ctx.Report.Add(new BenchRow("5 rebuild", $"raw sequential scan + deserialisation of {events:N0} events", ScanRate, "events/s"));

        var names = ctx.Store.Options.Projections.All.Select(p => p.Name).ToList();
        using var daemon = await ctx.Store.BuildProjectionDaemonAsync();
        var total = Stopwatch.StartNew();
        foreach (var name in names)
        {
            var cpu = await CpuMeter.Start(ctx);
            var watch = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(60), CancellationToken.None);
            var rate = events / watch.Elapsed.TotalSeconds;
            var spent = await cpu.Stop();
            Rates[name] = rate;
            // Where the time went: this process reads, deserialises and applies; PostgreSQL serves the pages and the writes.
            var where = $"CPU: this process {spent.SuiteMs / 1000:N1} s, PostgreSQL {spent.PostgresMs / 1000:N1} s";
            ctx.Log($"  rebuilt {name} in {watch.Elapsed.TotalSeconds:N1} s: {rate:N0} events/s; {where}");
            var ratio = MartenDirectStep.Ratio(rate, ScanRate);
            ctx.Report.Add(new BenchRow("5 rebuild", $"rebuild {name}", rate, "events/s", "raw scan", ScanRate, ratio,
                Goal: $"≥ {Goal:0.0}×", Met: ratio >= Goal, Note: $"{watch.Elapsed.TotalSeconds:N1} s; {where}"));
        }
        var all = names.Count * events / total.Elapsed.TotalSeconds;
        ctx.Report.Add(new BenchRow("5 rebuild", $"all {names.Count} projections one after another", events / total.Elapsed.TotalSeconds, "events/s",
            "raw scan", ScanRate, MartenDirectStep.Ratio(events / total.Elapsed.TotalSeconds, ScanRate),
            Note: $"{total.Elapsed.TotalSeconds:N1} s; {all:N0} event applications/s"));
    }

    private async Task<double> Scan(long expected)
    {
        var types = typeof(IComplaintEvent).Assembly.GetTypes()
            .Where(t => typeof(IComplaintEvent).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToDictionary(t => ((Marten.Events.EventGraph)ctx.Store.Options.Events).EventMappingFor(t).EventTypeName, t => t);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var cpu = await CpuMeter.Start(ctx);
        var watch = Stopwatch.StartNew();
        long read = 0;
        await using var command = ctx.Db.DataSource.CreateCommand("select type, data from complaints.mt_events where type <> 'tombstone' order by seq_id");
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var type = types[reader.GetString(0)];
            if (JsonSerializer.Deserialize(reader.GetString(1), type, json) is not null) read++;
        }
        var rate = read / watch.Elapsed.TotalSeconds;
        var spent = await cpu.Stop();
        ctx.Log($"  raw scan CPU: this process {spent.SuiteMs / 1000:N1} s, PostgreSQL {spent.PostgresMs / 1000:N1} s");
        if (read != expected) ctx.Report.Note($"the raw scan read {read:N0} events where the store counted {expected:N0}");
        return rate;
    }
}

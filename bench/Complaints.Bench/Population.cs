using System.Diagnostics;
using Complaints.Api.Auditing;
using Complaints.Domain;
using Complaints.Projections;
using Complaints.Projections.Complaints;
using Marten;

namespace Complaints.Bench;

/// <summary>What the store held when the measurements began.</summary>
public sealed record PopulationInfo(int Seeded, long Complaints, long Events, double EventsPerComplaint, double SeedSeconds,
    int SeededThisRun, double MeanEventBytes, double P10EventBytes, double P90EventBytes);

/// <summary>
/// The population the suite measures against: N complaints over the last six months, each taken through its life by
/// the domain's own decisions (about 8–9 events; 15 % unsatisfied at the first follow-up loop through a re-review; the
/// recent ones still open where their next step would lie in the future). Seeded with Marten's batched appends, not
/// through HTTP, and kept: bench.population records how many were seeded, so that the next run reuses them and only
/// tops up when asked for more.
/// </summary>
public static class Population
{
    /// <summary>Bumped when the generator changes in a way that makes an older population incomparable.</summary>
    public const int Generator = 1;

    private const int BatchSize = 250;

    public static async Task<PopulationInfo> Ensure(BenchDatabase db, DocumentStore store, BenchOptions options, ComplaintPolicies policies,
        Action<string> log)
    {
        if (options.Fresh)
        {
            log("--fresh: dropping the population (schemas complaints, analytics, bench, bench_raw)");
            await db.Execute("drop schema if exists complaints cascade; drop schema if exists analytics cascade; " +
                             "drop schema if exists bench cascade; drop schema if exists bench_raw cascade");
        }
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await new EventChain(store).Install(CancellationToken.None);
        await db.Execute("""
            create schema if not exists bench;
            create table if not exists bench.population (
                id int primary key default 1 check (id = 1),
                complaints int not null,
                generator int not null,
                seeded_at timestamptz not null default now())
            """);

        var rows = await db.Rows("select complaints, generator from bench.population");
        var seeded = rows.Count == 0 ? 0 : (int)rows[0][0]!;
        if (rows.Count > 0 && (int)rows[0][1]! != Generator)
            log($"the population was seeded by generator {rows[0][1]}, this is {Generator}: reusing it anyway (--fresh to reseed)");

        var watch = Stopwatch.StartNew();
        var toSeed = Math.Max(0, options.Complaints - seeded);
        if (toSeed > 0)
        {
            log(seeded == 0
                ? $"seeding {toSeed:N0} complaints with Marten's batched appends"
                : $"topping the population up from {seeded:N0} to {options.Complaints:N0} complaints");
            await Seed(db, store, policies, seeded, toSeed, log);
        }
        else log($"reusing the population of {seeded:N0} complaints in bench.population" +
                 (seeded > options.Complaints ? $" (more than the {options.Complaints:N0} asked for; --fresh to reseed smaller)" : ""));
        var seedSeconds = watch.Elapsed.TotalSeconds;

        await CatchUpDaemon(store, log);

        var complaints = await db.Scalar<long>("select count(*) from complaints.mt_streams");
        var events = await db.Scalar<long>("select count(*) from complaints.mt_events");
        var sizes = await db.Rows("""
            select avg(n)::float8, percentile_cont(0.1) within group (order by n), percentile_cont(0.9) within group (order by n)
            from (select octet_length(data::text) as n from complaints.mt_events tablesample system (5)) s
            """);
        if (sizes[0][0] is null)
            sizes = await db.Rows("""
                select avg(n)::float8, percentile_cont(0.1) within group (order by n), percentile_cont(0.9) within group (order by n)
                from (select octet_length(data::text) as n from complaints.mt_events limit 20000) s
                """);
        return new PopulationInfo(Math.Max(seeded, options.Complaints), complaints, events, complaints == 0 ? 0 : (double)events / complaints,
            seedSeconds, toSeed, Convert.ToDouble(sizes[0][0] ?? 0.0), Convert.ToDouble(sizes[0][1] ?? 0.0), Convert.ToDouble(sizes[0][2] ?? 0.0));
    }

    private static async Task Seed(BenchDatabase db, DocumentStore store, ComplaintPolicies policies, int from, int count, Action<string> log)
    {
        var now = DateTimeOffset.UtcNow;
        var categories = policies.Routing.DepartmentByCategory.Keys.Order(StringComparer.Ordinal).DefaultIfEmpty("Noise").ToArray();
        var next = from;
        var end = from + count;
        var done = 0;
        var gate = new object();
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;

        async Task Worker()
        {
            while (true)
            {
                int first, n;
                lock (gate)
                {
                    if (next >= end) return;
                    first = next;
                    n = Math.Min(BatchSize, end - next);
                    next += n;
                }
                var numbers = await TrackingNumbers(store, n);
                await using var session = store.LightweightSession();
                session.LastModifiedBy = "bench.seed";
                for (var i = 0; i < n; i++)
                {
                    var (id, events) = Complaint(first + i, numbers[i], now, categories, policies);
                    session.Events.StartStream<Complaint>(id, events);
                }
                await session.SaveChangesAsync();
                await db.Execute("""
                    insert into bench.population (id, complaints, generator) values (1, $1, $2)
                    on conflict (id) do update set complaints = bench.population.complaints + excluded.complaints, seeded_at = now()
                    """, n, Generator);
                lock (gate)
                {
                    done += n;
                    if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                    {
                        lastReport = watch.Elapsed;
                        log($"  seeded {done:N0} of {count:N0} ({done / watch.Elapsed.TotalSeconds:N0} complaints/s)");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(Worker)));
        log($"  seeded {count:N0} complaints in {watch.Elapsed.TotalSeconds:N1} s");
    }

    private static async Task<IReadOnlyList<long>> TrackingNumbers(DocumentStore store, int count)
    {
        await using var session = store.QuerySession();
        return await session.QueryAsync<long>(
            $"select nextval('{BenchDatabase.Schema}.{ComplaintStore.TrackingNumberSequence}') from generate_series(1, ?)", CancellationToken.None, count);
    }

    /// <summary>One complaint's history, decided step by step by the domain as the API would, each step dated after the last.</summary>
    public static (Guid Id, List<object> Events) Complaint(int n, long trackingNumber, DateTimeOffset now, string[] categories, ComplaintPolicies policies)
    {
        var rng = new Random(HashCode.Combine(n, 7919));
        var id = Guid.CreateVersion7(now.AddDays(-rng.Next(1, 182)));
        var receivedAt = now - TimeSpan.FromMinutes(rng.Next(60, 182 * 24 * 60));
        var category = categories[rng.Next(categories.Length)];
        var receive = Workload.Receive(rng, category, receivedAt);
        var received = receive.Decide(id, $"C-{receivedAt.UtcDateTime.Year}-{trackingNumber:D6}", new CommandContext("intake.desk", now, policies));
        var complaint = Domain.Complaint.From(received);
        var events = new List<object> { received };
        var unsatisfied = rng.NextDouble() < Workload.UnsatisfiedShare;
        var at = receivedAt;
        var round = 0;

        Stage[] path = unsatisfied
            ? [Stage.Accept, Stage.Triage, Stage.Assign, Stage.FirstResponse, Stage.Evidence, Stage.Resolve, Stage.FollowUp, Stage.ReReview, Stage.Resolve, Stage.FollowUp]
            : [Stage.Accept, Stage.Triage, Stage.Assign, Stage.FirstResponse, Stage.Evidence, Stage.Resolve, Stage.FollowUp];
        foreach (var stage in path)
        {
            at += stage switch
            {
                Stage.Accept => Hours(rng, 0.5, 4),
                Stage.Triage => TimeSpan.FromMinutes(rng.Next(1, 30)),
                Stage.Assign => Hours(rng, 0.2, 3),
                Stage.FirstResponse => Hours(rng, 2, 48),
                Stage.Evidence => Hours(rng, 1, 24),
                Stage.Resolve => Hours(rng, 24, 120),
                Stage.FollowUp => Hours(rng, 24, 72),
                _ => Hours(rng, 24, 72),
            };
            if (at > now - TimeSpan.FromMinutes(5)) break; // still open: its next step lies in the future
            var satisfied = !unsatisfied || round > 0;
            var (_, command) = Workload.Command(stage, rng, category, satisfied, at);
            var user = stage switch
            {
                Stage.Accept or Stage.Triage or Stage.Assign => "dispatcher.desk",
                Stage.FollowUp => "intake.desk",
                Stage.ReReview => "reviewer.desk",
                _ => $"handler.{rng.Next(40):D2}",
            };
            foreach (var e in command.Decide(complaint, new CommandContext(user, now, policies)))
            {
                events.Add(e);
                complaint = complaint.After(e);
            }
            if (stage == Stage.ReReview) round++;
        }
        return (id, events);
    }

    private static TimeSpan Hours(Random rng, double min, double max) => TimeSpan.FromHours(min + rng.NextDouble() * (max - min));

    /// <summary>Runs the projection daemon in this process until the analytics have caught up with the store.</summary>
    public static async Task CatchUpDaemon(DocumentStore store, Action<string> log, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var statistics = await store.Advanced.FetchEventStoreStatistics();
        var progress = await store.Advanced.AllProjectionProgress();
        var behind = progress.Where(p => p.ShardName != "HighWaterMark").Select(p => statistics.EventSequenceNumber - p.Sequence).DefaultIfEmpty(statistics.EventSequenceNumber).Max();
        if (behind <= 0) return;
        log($"letting the projection daemon catch up ({behind:N0} events behind)");
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await daemon.WaitForNonStaleData(timeout ?? TimeSpan.FromMinutes(30));
        await daemon.StopAllAsync();
        log($"  caught up in {watch.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>Open complaints of the population, with the step each waits for, so that commands have work from the start.</summary>
    public static async Task<int> LoadOpenComplaints(DocumentStore store, Workload workload, int limit)
    {
        await using var session = store.QuerySession();
        var open = await session.Query<ComplaintDetails>()
            .Where(c => c.Status == ComplaintStatus.Received || c.Status == ComplaintStatus.Accepted || c.Status == ComplaintStatus.Assigned
                        || c.Status == ComplaintStatus.Investigating || c.Status == ComplaintStatus.Resolved || c.Status == ComplaintStatus.AwaitingReReview)
            .Take(limit)
            .ToListAsync();
        var added = 0;
        var hot = workload.Hot.Select(h => h.Id).ToHashSet();
        foreach (var c in open)
        {
            if (hot.Contains(c.Id) || c.EvidenceCount > 3) continue; // the hot complaints and the append-only streams are not lifecycle work
            Stage? next = c.Status switch
            {
                ComplaintStatus.Received => Stage.Accept,
                ComplaintStatus.Accepted when c.Severity is null => Stage.Triage,
                ComplaintStatus.Accepted => Stage.Assign,
                ComplaintStatus.Assigned => Stage.FirstResponse,
                ComplaintStatus.Investigating when c.EvidenceCount == 0 => Stage.Evidence,
                ComplaintStatus.Investigating => Stage.Resolve,
                ComplaintStatus.Resolved => Stage.FollowUp,
                ComplaintStatus.AwaitingReReview => Stage.ReReview,
                _ => null,
            };
            if (next is not { } stage) continue;
            workload.AddReady(new LiveComplaint(c.Id, stage, unsatisfiedFirst: false, c.ReReviewRound, c.Category));
            added++;
        }
        return added;
    }

    /// <summary>A complaint already under investigation, for the hot set and the append-only streams, started with one batched append.</summary>
    public static async Task<List<(Guid Id, long Version)>> Investigating(DocumentStore store, ComplaintPolicies policies, int count, string category)
    {
        var now = DateTimeOffset.UtcNow;
        var numbers = await TrackingNumbers(store, count);
        var created = new List<(Guid, long)>();
        await using var session = store.LightweightSession();
        session.LastModifiedBy = "bench.setup";
        for (var i = 0; i < count; i++)
        {
            var rng = new Random(Random.Shared.Next());
            var id = Guid.CreateVersion7();
            var at = now.AddHours(-2);
            var received = Workload.Receive(rng, category, at).Decide(id, $"C-{at.UtcDateTime.Year}-{numbers[i]:D6}", new CommandContext("bench.setup", now, policies));
            var complaint = Domain.Complaint.From(received);
            var events = new List<object> { received };
            foreach (var stage in new[] { Stage.Accept, Stage.Triage, Stage.Assign, Stage.FirstResponse })
            {
                at = at.AddMinutes(10);
                var (_, command) = Workload.Command(stage, rng, category, true, at);
                foreach (var e in command.Decide(complaint, new CommandContext("bench.setup", now, policies)))
                {
                    events.Add(e);
                    complaint = complaint.After(e);
                }
            }
            session.Events.StartStream<Complaint>(id, events);
            created.Add((id, events.Count));
        }
        await session.SaveChangesAsync();
        return created;
    }
}

using System.Diagnostics;
using HdrHistogram;

namespace Complaints.Bench;

/// <summary>Latencies in microseconds, recorded from many tasks at once.</summary>
public sealed class Latencies
{
    private readonly LongHistogram _histogram = new(TimeSpan.FromMinutes(5).Ticks / 10, 3);
    private readonly Lock _gate = new();

    public void Record(TimeSpan elapsed)
    {
        var micros = Math.Clamp(elapsed.Ticks / 10, 1, _histogram.HighestTrackableValue);
        lock (_gate) _histogram.RecordValue(micros);
    }

    public long Count
    {
        get { lock (_gate) return _histogram.TotalCount; }
    }

    /// <summary>The latency at a percentile, in milliseconds; null when nothing was recorded.</summary>
    public double? Ms(double percentile)
    {
        lock (_gate) return _histogram.TotalCount == 0 ? null : _histogram.GetValueAtPercentile(percentile) / 1000.0;
    }

    public double? MaxMs
    {
        get { lock (_gate) return _histogram.TotalCount == 0 ? null : _histogram.GetMaxValue() / 1000.0; }
    }
}

/// <summary>One measured run: completed operations by outcome over the wall time, and their latencies.</summary>
public sealed record LoadResult(string Name, double Seconds, long Ok, long Conflicts, long Failed, Latencies Latency, double? TargetRate, int? Concurrency)
{
    /// <summary>The first few distinct exceptions of the failed operations.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Successful operations per second.</summary>
    public double Throughput => Seconds > 0 ? Ok / Seconds : 0;

    public override string ToString() =>
        $"{Name}: {Throughput:N0}/s ok={Ok} conflicts={Conflicts} failed={Failed} p50={Latency.Ms(50):N2} p99={Latency.Ms(99):N2} p99.9={Latency.Ms(99.9):N2} ms" +
        (TargetRate is { } r ? $" (target {r:N0}/s)" : "") + (Concurrency is { } c ? $" (concurrency {c})" : "") +
        string.Concat(Errors.Select(e => "\n      failure: " + e));
}

/// <summary>
/// Drives an operation closed-loop (N workers, each sending the next request when the last answered: finds the
/// saturation throughput) or open-loop (requests scheduled at a fixed rate whatever the answers; each latency runs
/// from the time the request was scheduled, not from when it could be sent, so a stall is charged to every request
/// it delayed: no coordinated omission).
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> ClosedLoop(string name, int concurrency, TimeSpan duration, Func<Task<Outcome>> operation)
    {
        var latency = new Latencies();
        var errors = new List<string>();
        long ok = 0, conflicts = 0, failed = 0;
        var watch = Stopwatch.StartNew();

        async Task Worker()
        {
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = await Run(operation, errors);
                latency.Record(Stopwatch.GetElapsedTime(started));
                Count(outcome, ref ok, ref conflicts, ref failed);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return new LoadResult(name, watch.Elapsed.TotalSeconds, ok, conflicts, failed, latency, null, concurrency) { Errors = errors };
    }

    public static async Task<LoadResult> OpenLoop(string name, double rate, TimeSpan duration, Func<Task<Outcome>> operation, int maxInFlight = 512,
        CancellationToken stop = default)
    {
        if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate), "the rate must be positive");
        var latency = new Latencies();
        var errors = new List<string>();
        long ok = 0, conflicts = 0, failed = 0;
        var total = Math.Max(1, (long)Math.Round(rate * duration.TotalSeconds));
        var interval = Stopwatch.Frequency / rate;
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();

        async Task One(long intended)
        {
            try
            {
                var outcome = await Run(operation, errors);
                Count(outcome, ref ok, ref conflicts, ref failed);
            }
            finally
            {
                // From the scheduled time: a request that had to wait for a free slot or a late scheduler counts that wait.
                latency.Record(Stopwatch.GetElapsedTime(intended));
                slots.Release();
            }
        }

        for (long i = 0; i < total && !stop.IsCancellationRequested; i++)
        {
            var intended = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
            // Never early: the timer's granularity (about 1 ms) can only make a request late, and lateness is counted.
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            await slots.WaitAsync();
            inFlight.Add(Task.Run(() => One(intended)));
            if (inFlight.Count > 4096) inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new LoadResult(name, seconds, ok, conflicts, failed, latency, rate, null) { Errors = errors };
    }

    /// <summary>Closed-loop readers: each sends its next request when the last has answered.</summary>
    public static Task<LoadResult> Readers(string name, int readers, TimeSpan duration, Func<Task<Outcome>> read) =>
        ClosedLoop(name, readers, duration, read);

    private static async Task<Outcome> Run(Func<Task<Outcome>> operation, List<string> errors)
    {
        try
        {
            return await operation();
        }
        catch (Exception e)
        {
            var message = $"{e.GetType().Name}: {e.Message}";
            if (e.InnerException is { } inner) message += $" ({inner.GetType().Name}: {inner.Message})";
            message = message.Length > 400 ? message[..400] : message;
            lock (errors)
                if (errors.Count < 5 && !errors.Contains(message)) errors.Add(message);
            return Outcome.Failed;
        }
    }

    private static void Count(Outcome outcome, ref long ok, ref long conflicts, ref long failed)
    {
        switch (outcome)
        {
            case Outcome.Ok: Interlocked.Increment(ref ok); break;
            case Outcome.Conflict: Interlocked.Increment(ref conflicts); break;
            default: Interlocked.Increment(ref failed); break;
        }
    }
}

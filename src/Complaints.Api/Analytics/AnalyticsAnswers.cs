using System.Collections.Concurrent;
using System.Globalization;

namespace Complaints.Api.Analytics;

/// <summary>
/// Analytics answers are aggregates over whole tables that change only as the projection daemon catches up, and
/// dashboards ask the same questions over and over; over a hundred thousand cases an answer takes seconds to compute.
/// So each answer is kept per question: the endpoint and its parameters as read (a period by its instants, the
/// breakdown), never the raw query string, so that nothing added to a URL forces a fresh computation. A question asked
/// for the first time is computed while its askers wait (one computation for all of them), and is cancelled if they all
/// leave before it is done. After that it is answered at once from the kept answer, with an Age header saying how many
/// seconds old it is; once the kept answer is older than Complaints:Analytics:CacheSeconds (5 s; 0 turns keeping off),
/// the next request starts one fresh computation in the background and the answer is replaced when it is done. A caller
/// may have at most <see cref="MaxComputationsPerCaller"/> first computations under way at once; another question is
/// 429 until one ends. Authorization runs before the endpoint, so a kept answer never reaches a caller who may not ask,
/// and a request that is refused (a 400) is never kept.
/// </summary>
public sealed class AnalyticsAnswers(IConfiguration configuration, TimeProvider clock, ILogger<AnalyticsAnswers> logger)
{
    public const int DefaultSeconds = 5;

    /// <summary>Questions kept at most; the ones asked least recently go first.</summary>
    public const int MaxKept = 1_000;

    public const int MaxComputationsPerCaller = 2;

    private readonly ConcurrentDictionary<string, Kept> _kept = new();
    private readonly ConcurrentDictionary<string, int> _computingFor = new();

    /// <summary>Callers with a first computation under way.</summary>
    internal int CallersComputing => _computingFor.Count;

    private readonly Lazy<TimeSpan> _keep = new(() =>
    {
        var seconds = configuration.GetValue("Complaints:Analytics:CacheSeconds", DefaultSeconds);
        return seconds >= 0 ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"Complaints:Analytics:CacheSeconds is {seconds}; it cannot be negative");
    });

    /// <summary>One computation of the caller's less; a caller with none under way is forgotten, so callers do not pile up.</summary>
    private void Done(string caller)
    {
        if (_computingFor.AddOrUpdate(caller, 0, (_, n) => n - 1) == 0) _computingFor.TryRemove(KeyValuePair.Create(caller, 0));
    }

    /// <param name="question">The endpoint and its parameters as read: what makes two requests the same question.</param>
    public async Task<T> Get<T>(string question, HttpContext http, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : notnull
    {
        if (_keep.Value <= TimeSpan.Zero) return await compute(ct);

        var kept = _kept.GetOrAdd(question, _ => new Kept());
        var now = clock.GetUtcNow();
        Task<Answer> computing;
        lock (kept)
        {
            kept.LastAsked = now;
            if (kept.Answer is { } answer)
            {
                if (now - answer.At >= _keep.Value) kept.Computing ??= Compute(question, kept, ++kept.Generation, compute, CancellationToken.None, ended: null);
                http.Response.Headers.Age = Math.Max(0, (int)(now - answer.At).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return (T)answer.Value;
            }
            if (kept.Computing is null)
            {
                var caller = Http.CallerRateLimits.Caller(http);
                if (_computingFor.AddOrUpdate(caller, 1, (_, n) => n + 1) > MaxComputationsPerCaller)
                {
                    Done(caller);
                    throw new TooManyComputations();
                }
                kept.Cancel = new CancellationTokenSource();
                kept.Computing = Compute(question, kept, ++kept.Generation, compute, kept.Cancel.Token,
                    ended: () => Done(caller));
            }
            computing = kept.Computing;
            kept.Waiting++;
        }
        if (_kept.Count > MaxKept) ForgetLeastAsked();
        try
        {
            return (T)(await computing.WaitAsync(ct)).Value;
        }
        finally
        {
            // The last asker left before the first answer: nobody is waiting for it any more.
            lock (kept)
                if (--kept.Waiting == 0 && kept.Answer is null && !computing.IsCompleted && ReferenceEquals(kept.Computing, computing))
                {
                    kept.Cancel?.Cancel();
                    kept.Computing = null; // the next asker starts afresh
                    kept.Generation++;
                }
        }
    }

    /// <summary>
    /// Runs apart from the request that started it, so that one caller who gives up does not cancel it for the others.
    /// A failure reaches those waiting and is not kept: the next request tries again.
    /// </summary>
    private Task<Answer> Compute<T>(string key, Kept kept, int generation, Func<CancellationToken, Task<T>> compute, CancellationToken cancel,
        Action? ended) where T : notnull => Task.Run(async () =>
    {
        try
        {
            var answer = new Answer(await compute(cancel), clock.GetUtcNow());
            lock (kept)
            {
                // A computation given up meanwhile has been followed by another: its answer is not kept.
                if (kept.Generation != generation) return answer;
                kept.Answer = answer;
                kept.Computing = null;
            }
            return answer;
        }
        catch (Exception e)
        {
            lock (kept)
                if (kept.Generation == generation) kept.Computing = null;
            if (kept.Answer is not null) logger.LogWarning(e, "Refreshing the kept analytics answer to {Question} failed; the older answer stays", key);
            throw;
        }
        finally
        {
            // Before anyone waiting sees the end: the caller may ask again at once.
            ended?.Invoke();
        }
    }, CancellationToken.None);

    private void ForgetLeastAsked()
    {
        foreach (var (key, _) in _kept.OrderBy(k => k.Value.LastAsked).Take(_kept.Count - MaxKept * 9 / 10).ToList())
            _kept.TryRemove(key, out _);
    }

    private sealed record Answer(object Value, DateTimeOffset At);

    private sealed class Kept
    {
        public Answer? Answer;
        public Task<Answer>? Computing;
        public CancellationTokenSource? Cancel;
        public int Waiting;
        public int Generation;
        public DateTimeOffset LastAsked;
    }
}

/// <summary>The caller has as many analytics computations under way as it may have (429 at the edge).</summary>
public sealed class TooManyComputations()
    : Exception($"You have {AnalyticsAnswers.MaxComputationsPerCaller} analytics questions being computed already; ask again when one is answered.");

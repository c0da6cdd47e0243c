using System.Collections.Concurrent;
using System.Globalization;

namespace Complaints.Api.Analytics;

/// <summary>
/// Analytics answers are aggregates over whole tables that change only as the projection daemon catches up, and
/// dashboards ask the same questions over and over; over a hundred thousand cases an answer takes seconds to compute.
/// So each answer is kept per URL and query. A question asked for the first time is computed while its askers wait
/// (one computation for all of them). After that it is answered at once from the kept answer, with an Age header
/// saying how many seconds old it is; once the kept answer is older than Complaints:Analytics:CacheSeconds (5 s; 0
/// turns keeping off), the next request starts one fresh computation in the background and the answer is replaced
/// when it is done. Authorization runs before the endpoint, so a kept answer never reaches a caller who may not ask,
/// and a request that is refused (a 400) is never kept.
/// </summary>
public sealed class AnalyticsAnswers(IConfiguration configuration, TimeProvider clock, ILogger<AnalyticsAnswers> logger)
{
    public const int DefaultSeconds = 5;

    /// <summary>Questions kept at most; the ones asked least recently go first.</summary>
    public const int MaxKept = 1_000;

    private readonly ConcurrentDictionary<string, Kept> _kept = new();

    private readonly Lazy<TimeSpan> _keep = new(() =>
    {
        var seconds = configuration.GetValue("Complaints:Analytics:CacheSeconds", DefaultSeconds);
        return seconds >= 0 ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"Complaints:Analytics:CacheSeconds is {seconds}; it cannot be negative");
    });

    public async Task<T> Get<T>(HttpContext http, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : notnull
    {
        if (_keep.Value <= TimeSpan.Zero) return await compute(ct);

        var key = http.Request.Path + http.Request.QueryString;
        var kept = _kept.GetOrAdd(key, _ => new Kept());
        var now = clock.GetUtcNow();
        Task<Answer> computing;
        lock (kept)
        {
            kept.LastAsked = now;
            if (kept.Answer is { } answer)
            {
                if (now - answer.At >= _keep.Value) kept.Computing ??= Compute(key, kept, compute);
                http.Response.Headers.Age = Math.Max(0, (int)(now - answer.At).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return (T)answer.Value;
            }
            computing = kept.Computing ??= Compute(key, kept, compute);
        }
        if (_kept.Count > MaxKept) ForgetLeastAsked();
        return (T)(await computing.WaitAsync(ct)).Value;
    }

    /// <summary>
    /// Runs apart from the request that started it, so that a caller who gives up does not cancel it for the others.
    /// A failure reaches those waiting and is not kept: the next request tries again.
    /// </summary>
    private Task<Answer> Compute<T>(string key, Kept kept, Func<CancellationToken, Task<T>> compute) where T : notnull => Task.Run(async () =>
    {
        try
        {
            var answer = new Answer(await compute(CancellationToken.None), clock.GetUtcNow());
            lock (kept)
            {
                kept.Answer = answer;
                kept.Computing = null;
            }
            return answer;
        }
        catch (Exception e)
        {
            lock (kept) kept.Computing = null;
            if (kept.Answer is not null) logger.LogWarning(e, "Refreshing the kept analytics answer to {Question} failed; the older answer stays", key);
            throw;
        }
    });

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
        public DateTimeOffset LastAsked;
    }
}

using System.Collections.Concurrent;
using Complaints.Api.Auditing;
using Complaints.Api.Http;
using Complaints.Api.Identity;
using Microsoft.Extensions.Options;

namespace Complaints.Api.Complaints;

/// <summary>
/// Every read that shows complainants' identities passes here before it is answered: it spends the user's budget
/// (Complaints:RateLimits:IdentityReads, the distinct cases whose identity one user may be shown in a window; a case
/// shown again in the same window costs nothing) and goes on the audit as "read-identities": who, when, the request
/// and the cases. Past the budget the answer is 429 with Retry-After; a read that cannot be recorded is not answered.
/// </summary>
/// <remarks>
/// The budget is kept in each node's memory. A command's answer also shows the case it changed; that is not counted
/// here, since the command itself is on the case's history under its user's name.
/// </remarks>
public sealed class IdentityReads(IOptions<CallerRateLimits> limits, AuditWriter audit, TimeProvider clock, ILogger<IdentityReads> log)
{
    public const string Action = "read-identities";

    /// <summary>The 429 of a read that shows identities, as the API's reference describes it.</summary>
    public const string Refusal = "The caller has made more requests than its limit allows in the window, or has been shown as many " +
                                  "complainants' identities as `Complaints:RateLimits:IdentityReads` allows: nothing was shown; retry after `Retry-After` seconds.";
    private readonly ConcurrentDictionary<string, Window> _windows = new();
    private int _sinceSweep;

    /// <summary>Spends the user's budget on these cases and records the read; throws when it may not be answered.</summary>
    public async Task Admit(HttpContext http, IReadOnlyCollection<Guid> cases)
    {
        if (cases.Count == 0) return;
        var user = http.User.ActingUser();
        if (Spend(user, cases) is { } wait)
        {
            var limit = limits.Value.IdentityReads;
            throw new TooManyRequests("Too many complainants' identities read", wait,
                $"This user may be shown the complainant's identity of {limit.PermitLimit} cases every {limit.WindowSeconds} seconds; " +
                $"retry in {TooManyRequests.Seconds(wait)} seconds.");
        }
        var request = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}";
        var details = $"{request}: {cases.Count} {(cases.Count == 1 ? "case" : "cases")} {string.Join(",", cases)}";
        try
        {
            await audit.Record(new AdminAction(Guid.CreateVersion7(), clock.GetUtcNow(), user, Action, details, StatusCodes.Status200OK,
                RequestCausation.CorrelationIdIfValid(http)), http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "A read of complainants' identities by {User} could not be recorded, so it was refused: {Details}", user, details);
            throw new ServiceTooBusy("The read could not be recorded on the audit, so nothing was shown; retry shortly.", e);
        }
    }

    /// <summary>Null when the cases fit in the user's window; else how long until the window starts again.</summary>
    private TimeSpan? Spend(string user, IReadOnlyCollection<Guid> cases)
    {
        var limit = limits.Value.IdentityReads;
        if (limit.PermitLimit <= 0) return null;
        var now = clock.GetUtcNow();
        SweepNowAndThen(now);
        var window = _windows.GetOrAdd(user, _ => new Window());
        lock (window)
        {
            if (now >= window.Ends)
            {
                window.Cases.Clear();
                window.Ends = now + TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds));
            }
            if (window.Cases.Count + cases.Count(c => !window.Cases.Contains(c)) > limit.PermitLimit) return window.Ends - now;
            window.Cases.UnionWith(cases);
            return null;
        }
    }

    /// <summary>The windows of users who have stopped reading are dropped once in a while, so that they do not pile up.</summary>
    private void SweepNowAndThen(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _sinceSweep) % 10_000 != 0) return;
        foreach (var (user, window) in _windows)
            if (window.Ends <= now) _windows.TryRemove(new KeyValuePair<string, Window>(user, window));
    }

    private sealed class Window
    {
        public DateTimeOffset Ends { get; set; } = DateTimeOffset.MinValue;
        public HashSet<Guid> Cases { get; } = [];
    }
}

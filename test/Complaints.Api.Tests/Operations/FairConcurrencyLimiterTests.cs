using System.Threading.RateLimiting;
using Complaints.Api.Http;
using Shouldly;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// The commands' bound, on its own: who gets a freed place, in which order, and who is refused. Each request is named by
/// its caller; nothing here waits on a clock, since a place given back is handed on before Dispose returns.
/// </summary>
public sealed class FairConcurrencyLimiterTests
{
    private static FairConcurrencyLimiter<string> Limiter(int permits = 1, int perCaller = 0, int total = 10_000) =>
        new(caller => caller.Length == 0 ? null : caller, new FairConcurrencyOptions(permits, perCaller, total, TimeSpan.FromSeconds(1)));

    private static async Task<RateLimitLease> Held(FairConcurrencyLimiter<string> limiter, string caller)
    {
        var lease = await limiter.AcquireAsync(caller);
        lease.IsAcquired.ShouldBeTrue();
        return lease;
    }

    [Fact]
    public async Task a_callers_one_command_waits_behind_one_of_a_busy_callers_not_behind_all_of_them()
    {
        using var limiter = Limiter(permits: 1);
        var working = await Held(limiter, "importer");
        var importer = Enumerable.Range(0, 1_000).Select(_ => limiter.AcquireAsync("importer").AsTask()).ToList();
        var handler = limiter.AcquireAsync("handler.li").AsTask();

        working.Dispose();
        importer[0].IsCompletedSuccessfully.ShouldBeTrue("the importer waited first, so it has the turn");
        handler.IsCompleted.ShouldBeFalse();

        (await importer[0]).Dispose();
        handler.IsCompletedSuccessfully.ShouldBeTrue("then the handler's turn, before the importer's second command");
        importer[1].IsCompleted.ShouldBeFalse();

        (await handler).Dispose();
        importer[1].IsCompletedSuccessfully.ShouldBeTrue();
        importer.Skip(2).ShouldAllBe(t => !t.IsCompleted);
    }

    [Fact]
    public async Task freed_places_go_round_the_waiting_callers_in_turn_each_callers_in_its_order()
    {
        using var limiter = Limiter(permits: 1);
        var working = await Held(limiter, "x");
        var requests = new[] { "a", "a", "a", "b", "c", "c" }
            .Select((caller, n) => (Name: $"{caller}{n}", Task: limiter.AcquireAsync(caller).AsTask())).ToList();

        var served = new List<string>();
        var current = working;
        for (var i = 0; i < requests.Count; i++)
        {
            current.Dispose();
            var next = requests.Single(r => r.Task.IsCompletedSuccessfully && !served.Contains(r.Name));
            served.Add(next.Name);
            current = await next.Task;
        }
        current.Dispose();
        served.ShouldBe(["a0", "b3", "c4", "a1", "c5", "a2"]);
    }

    [Fact]
    public async Task a_caller_past_its_own_queue_is_refused_with_retry_after_while_another_still_queues()
    {
        using var limiter = Limiter(permits: 1, perCaller: 2);
        using var working = await Held(limiter, "a");
        var queued = new[] { limiter.AcquireAsync("a").AsTask(), limiter.AcquireAsync("a").AsTask() };

        using var refused = await limiter.AcquireAsync("a");
        refused.IsAcquired.ShouldBeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        retryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        refused.TryGetMetadata(MetadataName.ReasonPhrase, out var reason).ShouldBeTrue();
        reason.ShouldContain("2 commands waiting");

        var other = limiter.AcquireAsync("b").AsTask();
        other.IsCompleted.ShouldBeFalse("b is queued, not refused");
        limiter.GetStatistics("a")!.CurrentQueuedCount.ShouldBe(2);
        limiter.GetStatistics("b")!.CurrentQueuedCount.ShouldBe(1);
        queued.ShouldAllBe(t => !t.IsCompleted);
    }

    [Fact]
    public async Task when_the_queues_together_are_full_anyone_is_refused_without_retry_after()
    {
        using var limiter = Limiter(permits: 1, perCaller: 5, total: 2);
        using var working = await Held(limiter, "a");
        _ = limiter.AcquireAsync("a");
        _ = limiter.AcquireAsync("b");

        using var refused = await limiter.AcquireAsync("c");
        refused.IsAcquired.ShouldBeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out _).ShouldBeFalse("the service is busy, not this caller");
    }

    [Fact]
    public async Task a_request_given_up_while_waiting_leaves_its_place_to_the_next()
    {
        using var limiter = Limiter(permits: 1);
        var working = await Held(limiter, "a");
        using var leaving = new CancellationTokenSource();
        var givenUp = limiter.AcquireAsync("b", cancellationToken: leaving.Token).AsTask();
        var next = limiter.AcquireAsync("c").AsTask();

        await leaving.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(givenUp);
        limiter.GetStatistics("b")!.CurrentQueuedCount.ShouldBe(0);

        working.Dispose();
        next.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task requests_of_no_caller_are_not_held_back_and_places_are_not_counted_twice()
    {
        using var limiter = Limiter(permits: 2);
        var first = await Held(limiter, "a");
        using var second = await Held(limiter, "a");
        (await limiter.AcquireAsync("")).IsAcquired.ShouldBeTrue("a read is not a command");
        limiter.AttemptAcquire("b").IsAcquired.ShouldBeFalse();

        first.Dispose();
        first.Dispose();
        limiter.GetStatistics("a")!.CurrentAvailablePermits.ShouldBe(1);
        limiter.AttemptAcquire("b").IsAcquired.ShouldBeTrue();
    }
}

using System.Threading.RateLimiting;

namespace Complaints.Api.Http;

/// <summary>The bound of a <see cref="FairConcurrencyLimiter{TResource}"/>.</summary>
/// <param name="PermitLimit">How many hold a permit at once, every caller together.</param>
/// <param name="QueueLimitPerCaller">How many of one caller's may wait; 0 sets no bound but the total.</param>
/// <param name="QueueLimit">How many may wait, every caller together.</param>
/// <param name="RetryAfter">What a caller refused for its own queue is told to wait.</param>
public sealed record FairConcurrencyOptions(int PermitLimit, int QueueLimitPerCaller, int QueueLimit, TimeSpan RetryAfter);

/// <summary>
/// At most <see cref="FairConcurrencyOptions.PermitLimit"/> permits held at once, shared by every caller; the rest wait in
/// a queue per caller. A permit given back goes to the next caller in turn among those with someone waiting (round robin),
/// to that caller's oldest request: a caller with a thousand requests waiting delays another caller's one request by at
/// most one of its own per permit, not by a thousand. A caller whose queue is full is refused with a RetryAfter (its own
/// excess: a 429); when the queues together are full, anyone is refused without one (the service is busy: a 503).
/// </summary>
/// <remarks>A resource whose caller is null is not held back. One permit per request: more than one is refused.</remarks>
public sealed class FairConcurrencyLimiter<TResource>(Func<TResource, string?> callerOf, FairConcurrencyOptions options)
    : PartitionedRateLimiter<TResource>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Waiters> _waiting = [];
    private readonly LinkedList<Waiters> _turns = []; // the callers with someone waiting, the next to be served first
    private int _available = Math.Max(1, options.PermitLimit);
    private int _queued;
    private long _successful;
    private long _failed;
    private bool _disposed;

    public override RateLimiterStatistics? GetStatistics(TResource resource)
    {
        var caller = callerOf(resource);
        lock (_lock)
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _available,
                CurrentQueuedCount = caller is not null && _waiting.TryGetValue(caller, out var waiters) ? waiters.Queue.Count : 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
    }

    protected override RateLimitLease AttemptAcquireCore(TResource resource, int permitCount)
    {
        if (Unlimited(resource, permitCount) is { } free) return free;
        lock (_lock) return TakeIfFree(permitCount) ?? Refused(null);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(TResource resource, int permitCount, CancellationToken cancellationToken)
    {
        if (Unlimited(resource, permitCount) is { } free) return ValueTask.FromResult(free);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        var caller = callerOf(resource)!;
        Waiter waiter;
        lock (_lock)
        {
            if (TakeIfFree(permitCount) is { } lease) return ValueTask.FromResult(lease);
            _waiting.TryGetValue(caller, out var waiters);
            if (options.QueueLimitPerCaller > 0 && waiters?.Queue.Count >= options.QueueLimitPerCaller)
                return ValueTask.FromResult(Refused(
                    $"This caller has {options.QueueLimitPerCaller} commands waiting already; retry once some have been answered."));
            if (_queued >= options.QueueLimit) return ValueTask.FromResult(Refused(null));
            if (waiters is null)
            {
                waiters = new Waiters(caller);
                _waiting[caller] = waiters;
                waiters.Turn = _turns.AddLast(waiters);
            }
            waiter = new Waiter(waiters);
            waiter.Node = waiters.Queue.AddLast(waiter);
            _queued++;
        }
        if (cancellationToken.CanBeCanceled)
            waiter.Cancellation = cancellationToken.Register(() =>
            {
                if (Withdraw(waiter)) waiter.TrySetCanceled(cancellationToken);
            });
        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <summary>A request not held back, or not one this limiter can serve; null for one to count.</summary>
    private RateLimitLease? Unlimited(TResource resource, int permitCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        return callerOf(resource) is null ? Lease.NotCounted : null;
    }

    /// <summary>A permit now, when one is free and nobody waits for it before; under the lock.</summary>
    private RateLimitLease? TakeIfFree(int permitCount)
    {
        if (_queued > 0 || _available < permitCount) return null;
        _available -= permitCount;
        _successful++;
        return new Lease(this, permitCount);
    }

    private RateLimitLease Refused(string? ownExcess)
    {
        Interlocked.Increment(ref _failed);
        return ownExcess is null ? Lease.Busy : new RefusedForItsQueue(options.RetryAfter, ownExcess);
    }

    /// <summary>Takes a waiter out of its queue; false when it has been served (or withdrawn) already.</summary>
    private bool Withdraw(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null) return false;
            waiter.Owner.Queue.Remove(waiter.Node);
            waiter.Node = null;
            _queued--;
            if (waiter.Owner.Queue.Count == 0) Forget(waiter.Owner);
            return true;
        }
    }

    private void Forget(Waiters waiters)
    {
        if (waiters.Turn is not null) _turns.Remove(waiters.Turn);
        waiters.Turn = null;
        _waiting.Remove(waiters.Caller);
    }

    private void Release(int permitCount)
    {
        List<Waiter>? served = null;
        lock (_lock)
        {
            _available += permitCount;
            while (_available > 0 && _turns.First is { } turn)
            {
                var waiters = turn.Value;
                _turns.RemoveFirst();
                var waiter = waiters.Queue.First!.Value;
                waiters.Queue.RemoveFirst();
                waiter.Node = null;
                _queued--;
                _available--;
                _successful++;
                if (waiters.Queue.Count > 0) waiters.Turn = _turns.AddLast(waiters);
                else
                {
                    waiters.Turn = null;
                    _waiting.Remove(waiters.Caller);
                }
                (served ??= []).Add(waiter);
            }
        }
        // Completed outside the lock: a continuation may run here and ask for a permit of its own.
        foreach (var waiter in served ?? [])
        {
            waiter.Cancellation.Dispose();
            waiter.TrySetResult(new Lease(this, 1));
        }
    }

    protected override void Dispose(bool disposing)
    {
        List<Waiter> waiting;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            waiting = _waiting.Values.SelectMany(w => w.Queue).ToList();
            _waiting.Clear();
            _turns.Clear();
            _queued = 0;
        }
        foreach (var waiter in waiting)
        {
            waiter.Cancellation.Dispose();
            waiter.TrySetResult(Lease.Busy);
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private sealed class Waiters(string caller)
    {
        public string Caller { get; } = caller;
        public LinkedList<Waiter> Queue { get; } = [];
        public LinkedListNode<Waiters>? Turn { get; set; }
    }

    private sealed class Waiter(Waiters owner) : TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Waiters Owner { get; } = owner;
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Cancellation { get; set; }
    }

    private sealed class Lease(FairConcurrencyLimiter<TResource>? limiter, int permitCount, bool acquired = true) : RateLimitLease
    {
        public static readonly Lease NotCounted = new(null, 0);
        public static readonly Lease Busy = new(null, 0, acquired: false);
        private int _released;

        public override bool IsAcquired => acquired;
        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (limiter is not null && permitCount > 0 && Interlocked.Exchange(ref _released, 1) == 0) limiter.Release(permitCount);
        }
    }

    private sealed class RefusedForItsQueue(TimeSpan retryAfter, string reason) : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter
                : metadataName == MetadataName.ReasonPhrase.Name ? reason
                : null;
            return metadata is not null;
        }
    }
}

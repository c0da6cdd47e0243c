using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Complaints.Api.Tracking;

/// <summary>
/// Wrong codes back off per tracking number, whoever sends them: after Complaints:Tracking:FailuresBeforeBackoff (5)
/// wrong codes in a row, the number answers 429 for a minute, then for twice as long after each further wrong code, up to
/// an hour; the right code ends it. Guessing one case's code from many addresses gets as far as from one. Kept per node,
/// in memory; a number not tried for a day is forgotten.
/// </summary>
public sealed class TrackingFailures(TimeProvider clock)
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(1);
    private static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);
    private const int Remembered = 100_000;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _numbers = new();
    private DateTimeOffset _nextPrune;

    /// <summary>How long the number still backs off; null when it may be looked up now.</summary>
    public TimeSpan? BackingOff(string number, int failuresBeforeBackoff)
    {
        if (!_numbers.TryGetValue(number, out var state) || state.Failures < failuresBeforeBackoff) return null;
        var wait = Backoff(state.Failures - failuresBeforeBackoff) - (clock.GetUtcNow() - state.Last);
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string number)
    {
        var now = clock.GetUtcNow();
        // Looked over at most once a minute, so that a full table does not make every wrong code a scan of it.
        if (_numbers.Count >= Remembered && now >= _nextPrune)
        {
            _nextPrune = now + PruneEvery;
            foreach (var (key, state) in _numbers)
                if (now - state.Last > Forgotten) _numbers.TryRemove(key, out _);
        }
        _numbers.AddOrUpdate(number, _ => (1, now), (_, state) => (state.Failures + 1, now));
    }

    public void Succeeded(string number) => _numbers.TryRemove(number, out _);

    private static TimeSpan Backoff(int beyond) =>
        beyond >= 6 ? LongestBackoff : TimeSpan.FromTicks(Math.Min(LongestBackoff.Ticks, FirstBackoff.Ticks << beyond));
}

/// <summary>
/// Whom a lookup is counted against: the client's address, an IPv6 one by its /64 (the block one subscriber is given,
/// so that a client cannot take a fresh bucket per address), an IPv4 one whole. The address is the connection's, or the
/// one a proxy named in Complaints:Http:KnownProxies forwarded (X-Forwarded-For); no other caller's header is believed.
/// </summary>
public static class TrackingClient
{
    public static string Bucket(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

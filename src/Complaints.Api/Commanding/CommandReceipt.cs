using Complaints.Domain;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;

namespace Complaints.Api.Commanding;

/// <summary>
/// The first outcome of a command given under an idempotency key or a message id, recorded in the same transaction as
/// its events: a repeat finds it and records nothing. The fingerprint tells a true repeat from another command that
/// reuses the key.
/// </summary>
public sealed record CommandReceipt(string Id, string Fingerprint, Guid ComplaintId, long Version, DateTimeOffset RecordedAt)
{
    public const int MaxKeyLength = 200;

    /// <summary>What a command is, for telling repeats apart: its action, its case and every field it carries.</summary>
    public static string FingerprintOf(string action, Guid? complaintId, object command)
    {
        var text = $"{action}\n{complaintId}\n{JsonSerializer.Serialize(command, command.GetType())}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>This receipt answers the repeat, or the key was reused for another command.</summary>
    public CommandOutcome Repeat(string fingerprint) => fingerprint == Fingerprint
        ? new CommandOutcome(ComplaintId, Version, Repeated: true)
        : throw new IdempotencyKeyReused(Id);
}

/// <summary>
/// Where a command left the case. Repeated: an earlier delivery of the same command recorded it. TrackingNumber: set by
/// a receive that recorded the complaint just now.
/// </summary>
public sealed record CommandOutcome(Guid ComplaintId, long Version, bool Repeated, string? TrackingNumber = null);

/// <summary>
/// Who gives a command, and how to tell its repeats: Key is the idempotency key or message id, already scoped.
/// MayBackdate: a trusted service (the role service), which may enter earlier history. As: the roles and departments the
/// user acts in, for the decision's role conditions.
/// </summary>
public sealed record CommandOrigin(
    string User, string? Key, string Fingerprint, string? CorrelationId, string? CausationId, bool MayBackdate = false, Acting? As = null);

/// <summary>An idempotency key or message id already recorded for a different command (422 at the edge).</summary>
public sealed class IdempotencyKeyReused(string key)
    : Exception($"The key {key} was already used for a different command; use a new key for a new command.");

/// <summary>
/// How long a receipt answers repeats (Complaints:Idempotency:KeepReceiptsFor, 7 days): long enough for a client's or a
/// queue's retries after an outage, short enough that the receipts do not grow without end. An older receipt is no
/// longer a repeat's answer (a command under its key is a new one), and the sweep removes it.
/// </summary>
public sealed record ReceiptKeeping(TimeSpan KeepFor)
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(7);

    public static ReceiptKeeping Read(IConfiguration configuration) => new(
        configuration["Complaints:Idempotency:KeepReceiptsFor"] is { Length: > 0 } value
            ? ConfiguredTime.Parse(value, "Complaints:Idempotency:KeepReceiptsFor")
            : Default);

    public bool Expired(CommandReceipt receipt, DateTimeOffset now) => receipt.RecordedAt < now - KeepFor;
}

/// <summary>Removes the receipts older than they are kept for, hourly; on several nodes each may sweep, to the same end.</summary>
public sealed class ReceiptSweep(
    IDocumentStore store, ReceiptKeeping keeping, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ReceiptSweep> log)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public async Task<int> Sweep(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - keeping.KeepFor;
        await using var session = store.LightweightSession();
        var expired = await session.Query<CommandReceipt>().CountAsync(r => r.RecordedAt < cutoff, ct);
        if (expired == 0) return 0;
        session.DeleteWhere<CommandReceipt>(r => r.RecordedAt < cutoff);
        await session.SaveChangesAsync(ct);
        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not before the host has started: on a new database the store's tables are being created until then, and a
        // query of the receipts would create them too, racing the migration.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                if (await Sweep(stoppingToken) is > 0 and var removed) log.LogInformation("Removed {Count} expired command receipts", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The sweep of expired command receipts failed; it runs again in {Every}", Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

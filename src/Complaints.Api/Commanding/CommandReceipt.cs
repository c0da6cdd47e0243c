using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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

/// <summary>Who gives a command, and how to tell its repeats: Key is the idempotency key or message id, already scoped.</summary>
public sealed record CommandOrigin(string User, string? Key, string Fingerprint, string? CorrelationId, string? CausationId);

/// <summary>An idempotency key or message id already recorded for a different command (422 at the edge).</summary>
public sealed class IdempotencyKeyReused(string key)
    : Exception($"The key {key} was already used for a different command; use a new key for a new command.");

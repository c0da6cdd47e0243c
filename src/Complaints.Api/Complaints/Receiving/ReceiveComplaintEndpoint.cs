using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections;
using Marten;
using Npgsql;
using JasperFx;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Receiving;

/// <summary>What the complainant is told at once: the case's id, its tracking number and version.</summary>
public sealed record ComplaintAcknowledgement(Guid Id, string TrackingNumber, long Version);

/// <summary>The first answer given to an Idempotency-Key, kept so that a retry gets the same answer and records nothing.</summary>
public sealed record ReceivedUnderIdempotencyKey(string Id, Guid ComplaintId, string TrackingNumber, long Version, DateTimeOffset At);

public static class ReceiveComplaintEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    [Authorize(Policy = Policies.Receive)]
    [WolverinePost("/api/complaints")]
    [ProducesResponseType<ComplaintAcknowledgement>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(ReceiveComplaint command, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        ComplaintHttp.RequireBody(command);
        var user = ComplaintHttp.ActingUser(http);
        var ct = http.RequestAborted;
        var key = IdempotencyKey(http);
        if (key is not null && await session.LoadAsync<ReceivedUnderIdempotencyKey>(key, ct) is { } earlier)
            return Acknowledge(earlier.ComplaintId, earlier.TrackingNumber, earlier.Version);

        var now = clock.GetUtcNow();
        command.Validate(now).ThrowIfAny(); // before a tracking number is spent
        var receivedAt = command.ReceivedAtOr(now);
        var trackingNumber = await NextTrackingNumber(session, receivedAt, ct);
        var id = Guid.CreateVersion7();

        var received = command.Decide(id, trackingNumber, new CommandContext(user, now, ComplaintPolicies.Default));
        session.LastModifiedBy = user;
        session.RecordCausation(http);
        session.Events.StartStream<Complaint>(id, received);
        if (key is not null) session.Insert(new ReceivedUnderIdempotencyKey(key, id, trackingNumber, 1, now));

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (key is not null && IsDuplicateKey(e))
        {
            // A retry with the same key raced this request and committed first; nothing of ours was recorded.
            session.EjectAllPendingChanges();
            await using var fresh = session.DocumentStore.LightweightSession();
            var first = await fresh.LoadAsync<ReceivedUnderIdempotencyKey>(key, ct);
            return Acknowledge(first!.ComplaintId, first.TrackingNumber, first.Version);
        }
        return Acknowledge(id, trackingNumber, 1);
    }

    private static IResult Acknowledge(Guid id, string trackingNumber, long version) =>
        Results.Created($"/api/complaints/{id}", new ComplaintAcknowledgement(id, trackingNumber, version));

    /// <summary>
    /// The key was taken by a racing request. Marten reports the unique violation of the batch as a stream-id
    /// collision; the stream id here is freshly generated, so the clash can only be the key's.
    /// </summary>
    private static bool IsDuplicateKey(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DocumentAlreadyExistsException or Marten.Exceptions.ExistingStreamIdCollisionException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        return false;
    }

    private static string? IdempotencyKey(HttpContext http)
    {
        var key = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length == 0) return null;
        if (key.Length > 200) throw new BadRequest($"The {IdempotencyKeyHeader} header is longer than 200 characters.");
        return "receive:" + key;
    }

    private static async Task<string> NextTrackingNumber(IDocumentSession session, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var sequence = $"{session.DocumentStore.Options.DatabaseSchemaName}.{ComplaintStore.TrackingNumberSequence}";
        var next = (await session.QueryAsync<long>($"select nextval('{sequence}')", ct)).Single();
        return $"C-{receivedAt.UtcDateTime.Year}-{next:D6}";
    }
}

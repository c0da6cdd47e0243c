using Complaints.Api.Confidentiality;
using Complaints.Domain;
using Complaints.Projections;
using JasperFx;
using Marten;
using Wolverine;

namespace Complaints.Api.Commanding;

/// <summary>
/// The one path every command takes, whether it came over HTTP or the command queue, and the path a promise's timer
/// takes: decide on the complaint as it stands, append the events, put what other services hear of them and the
/// timers they start in the outbox, and commit it all in one transaction. A command recorded under a key is
/// recorded once.
/// </summary>
public sealed class ComplaintCommands(
    ComplaintPolicies policies, TimeProvider clock, ComplaintPublications publications, PersonalDataErasure erasure, CommandMetrics metrics,
    ReceiptKeeping receipts)
{
    public Task<CommandOutcome> Execute(Guid id, ComplaintCommand command, CommandOrigin origin, long? expectedVersion,
        IDocumentSession session, IMessageBus bus, CancellationToken ct) => Counted(command.Action(), async () =>
    {
        // No complaint has the all-zero id (Receive never gives it), and the event store refuses it as a stream id.
        if (id == Guid.Empty) throw new ComplaintNotFound(id);
        // A lawful erasure: the history must verify before it is recorded.
        if (command is ErasePersonalData erase && !await erasure.Check(id, erase, ct)) throw new ComplaintNotFound(id);
        return await Record(id, command, origin, expectedVersion, session, bus, ct);
    });

    private async Task<CommandOutcome> Counted(string action, Func<Task<CommandOutcome>> command)
    {
        try
        {
            var outcome = await command();
            metrics.Taken(action, outcome.Repeated ? CommandMetrics.Repeated : CommandMetrics.Recorded);
            return outcome;
        }
        catch (Exception e)
        {
            metrics.Taken(action, CommandMetrics.OutcomeOf(e));
            throw;
        }
    }

    private async Task<CommandOutcome> Record(Guid id, ComplaintCommand command, CommandOrigin origin, long? expectedVersion,
        IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        // Writers queue on the stream's row lock and apply in order, so no event is ever lost. The receipt and the
        // expected version are checked under the lock, before anything is appended, so that a repeat or a stale
        // command never takes event sequence numbers that it then gives back (a gap the async daemon would wait out).
        var stream = await session.Events.FetchForExclusiveWriting<Complaint>(id, ct);
        if (stream.Aggregate is not { } complaint) throw new ComplaintNotFound(id);
        if (await Receipt(session, origin, ct) is { } receipt) return receipt.Repeat(origin.Fingerprint);
        var current = stream.CurrentVersion ?? stream.StartingVersion ?? 0;
        if (expectedVersion is { } expected && current != expected) throw new StaleVersion(id, expected, current);

        var now = clock.GetUtcNow();
        var events = command.Decide(complaint, new CommandContext(origin.User, now, policies, origin.MayBackdate, origin.As));
        // An erasure erases the stored events in this transaction, and records what it changed.
        if (events is [PersonalDataErased erased]) events = [await erasure.Erase(id, erased, session, ct)];
        Attribute(session, origin);
        var version = await Append(stream, complaint, events, bus);
        if (origin.Key is not null) session.Insert(new CommandReceipt(origin.Key, origin.Fingerprint, id, version, now));
        try
        {
            await Commit(session, bus, ct);
        }
        catch (Exception e) when (origin.Key is not null && StoreErrors.IsDuplicate(e))
        {
            // The same key was recorded meanwhile for a command on another complaint (only the stream lock serialises).
            return await RepeatOf(session, origin, ct) ?? throw new InvalidOperationException("duplicate key without a receipt", e);
        }
        metrics.Committed(events);
        return new CommandOutcome(id, version, Repeated: false);
    }

    /// <summary>
    /// Registers a new complaint: the first event of a new stream, with a tracking number of its own, and the hash of the
    /// access code given with it, if one is.
    /// </summary>
    public Task<CommandOutcome> Receive(ReceiveComplaint command, Guid? givenId, string? accessCodeHash, CommandOrigin origin,
        IDocumentSession session, IMessageBus bus, CancellationToken ct) =>
        Counted(CommandCatalog.Receive.Action, () => Record(command, givenId, accessCodeHash, origin, session, bus, ct));

    private async Task<CommandOutcome> Record(ReceiveComplaint command, Guid? givenId, string? accessCodeHash, CommandOrigin origin,
        IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        if (givenId == Guid.Empty)
            throw new ComplaintCommandInvalid(new Dictionary<string, string[]> { ["complaintId"] = ["must not be the all-zero id"] });
        if (await Receipt(session, origin, ct) is { } receipt) return receipt.Repeat(origin.Fingerprint);

        var now = clock.GetUtcNow();
        var context = new CommandContext(origin.User, now, policies, origin.MayBackdate, origin.As);
        command.Validate(context).ThrowIfAny(); // before a tracking number is spent
        var id = givenId ?? Guid.CreateVersion7();
        var trackingNumber = await NextTrackingNumber(session, command.ReceivedAtOr(now), ct);
        var received = command.Decide(id, trackingNumber, context, accessCodeHash);
        Attribute(session, origin);
        session.Events.StartStream<Complaint>(id, received);
        if (origin.Key is not null) session.Insert(new CommandReceipt(origin.Key, origin.Fingerprint, id, 1, now));
        await publications.Publish(null, [received], 1, bus);

        try
        {
            await Commit(session, bus, ct);
        }
        catch (Exception e) when (StoreErrors.IsDuplicate(e))
        {
            // A repeat with the same key raced this one and committed first, or the given id is taken: nothing of
            // ours was recorded.
            if (await RepeatOf(session, origin, ct) is { } repeat) return repeat;
            if (givenId is not null)
                throw new ComplaintCommandRefused(CommandCatalog.Receive.Action, "complaint-exists", $"cannot receive: complaint {id} exists already");
            throw;
        }
        return new CommandOutcome(id, 1, Repeated: false, trackingNumber);
    }

    /// <summary>
    /// The receipt that answers a repeat of this command, if one is kept. One older than receipts are kept for answers
    /// nothing: it goes with this transaction, and the command is a new one.
    /// </summary>
    private async Task<CommandReceipt?> Receipt(IDocumentSession session, CommandOrigin origin, CancellationToken ct)
    {
        if (origin.Key is not { } key || await session.LoadAsync<CommandReceipt>(key, ct) is not { } receipt) return null;
        if (!receipts.Expired(receipt, clock.GetUtcNow())) return receipt;
        session.Delete(receipt);
        return null;
    }

    /// <summary>A promise's timer went off: record what the complaint as it stands says about it, if anything.</summary>
    public async Task Check(Guid id, ServicePromise promise, DateTimeOffset due, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Complaint>(id, ct);
        if (stream.Aggregate is not { } complaint) return;
        var events = ServicePromiseCheck.Decide(complaint, promise, due, clock.GetUtcNow());
        if (events is null)
        {
            // Went off before its due by our clock: wait for it again.
            await bus.ScheduleAsync(new ServicePromiseFellDue(id, promise, due), due);
            await Commit(session, bus, ct);
            return;
        }
        if (events.Count == 0) return;

        session.LastModifiedBy = ServicePromiseCheck.RecordedBy;
        await Append(stream, complaint, events, bus);
        await Commit(session, bus, ct);
        metrics.Committed(events);
    }

    /// <summary>Appends a step's events and puts what they tell other services in the outbox; returns the new version.</summary>
    private async Task<long> Append(JasperFx.Events.IEventStream<Complaint> stream, Complaint complaint, IReadOnlyList<object> events, IMessageBus bus)
    {
        var current = stream.CurrentVersion ?? stream.StartingVersion ?? 0;
        stream.AppendMany(events);
        await publications.Publish(complaint, events, current + 1, bus);
        return current + events.Count;
    }

    /// <summary>
    /// Commits the events with the messages they send. When the commit fails, the messages are dropped here too: the
    /// outbox would otherwise still send them when the request ends, for a transaction that never happened.
    /// </summary>
    private static async Task Commit(IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch
        {
            if (bus is Wolverine.Runtime.MessageContext context) await context.ClearAllAsync();
            throw;
        }
    }

    /// <summary>After a commit lost to a racing command under the same key: that command's outcome, if it was a repeat of ours.</summary>
    private static async Task<CommandOutcome?> RepeatOf(IDocumentSession session, CommandOrigin origin, CancellationToken ct)
    {
        session.EjectAllPendingChanges();
        if (origin.Key is null) return null;
        await using var fresh = session.DocumentStore.LightweightSession();
        return await fresh.LoadAsync<CommandReceipt>(origin.Key, ct) is { } first ? first.Repeat(origin.Fingerprint) : null;
    }

    private static void Attribute(IDocumentSession session, CommandOrigin origin)
    {
        session.LastModifiedBy = origin.User;
        if (origin.CorrelationId is not null) session.CorrelationId = origin.CorrelationId;
        if (origin.CausationId is not null) session.CausationId = origin.CausationId;
    }

    private static async Task<string> NextTrackingNumber(IDocumentSession session, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var sequence = $"{session.DocumentStore.Options.DatabaseSchemaName}.{ComplaintStore.TrackingNumberSequence}";
        var next = (await session.QueryAsync<long>($"select nextval('{sequence}')", ct)).Single();
        return $"C-{receivedAt.UtcDateTime.Year}-{next:D6}";
    }
}

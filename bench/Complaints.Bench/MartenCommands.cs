using Complaints.Domain;
using Complaints.Projections;
using Complaints.Projections.Complaints;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;

namespace Complaints.Bench;

/// <summary>
/// The workload's commands through a Marten session in this process: the same database work as the API's command
/// path (ComplaintCommandEndpoints and ComplaintCommandHandling: fetch for writing, decide, append, commit, load the
/// details) without HTTP, authentication, Wolverine or JSON.
/// </summary>
public sealed class MartenCommands(DocumentStore store, Workload workload)
{
    private const string User = "bench.marten";

    public async Task<Outcome> Next()
    {
        var command = workload.Next();
        var (outcome, id, version) = await Execute(command);
        workload.Completed(command, outcome, id, version);
        return outcome;
    }

    public async Task<(Outcome Outcome, Guid? Id, long? Version)> Execute(PlannedCommand command)
    {
        var now = DateTimeOffset.UtcNow;
        var context = new CommandContext(User, now, workload.Policies);
        await using var session = store.LightweightSession();
        session.LastModifiedBy = User;
        session.CorrelationId = Guid.NewGuid().ToString("N");
        session.CausationId = session.CorrelationId;

        if (command.Kind == CommandKind.Receive)
        {
            var receive = (ReceiveComplaint)command.Body;
            var next = (await session.QueryAsync<long>($"select nextval('{BenchDatabase.Schema}.{ComplaintStore.TrackingNumberSequence}')")).Single();
            var id = Guid.CreateVersion7();
            session.Events.StartStream<Complaint>(id, receive.Decide(id, $"C-{now.UtcDateTime.Year}-{next:D6}", context));
            await session.SaveChangesAsync();
            return (Outcome.Ok, id, 1);
        }

        var streamId = command.Id!.Value;
        try
        {
            IEventStream<Complaint> stream = command.ExpectedVersion is { } expected
                ? await session.Events.FetchForWriting<Complaint>(streamId, expected)
                : await session.Events.FetchForExclusiveWriting<Complaint>(streamId);
            if (stream.Aggregate is null) return (Outcome.Failed, null, null);
            stream.AppendMany(((ComplaintCommand)command.Body).Decide(stream.Aggregate, context));
            await session.SaveChangesAsync();
            var details = await session.LoadAsync<ComplaintDetails>(streamId);
            return (Outcome.Ok, null, details?.Version);
        }
        catch (Exception e) when (IsConflict(e))
        {
            return (Outcome.Conflict, null, null);
        }
        catch (ComplaintCommandRefused)
        {
            return (Outcome.Failed, null, null);
        }
    }

    public static bool IsConflict(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is JasperFx.ConcurrencyException or EventStreamUnexpectedMaxEventIdException) return true;
        return false;
    }
}

/// <summary>
/// Appends only: the same kind of events written without reading the stream first (no row lock, no write model
/// loaded, no decision). Each append records evidence on one of a set of complaints under investigation, or (one in
/// eight) starts a new complaint; the inline projections still run. Shows what the fetch-for-writing costs.
/// </summary>
public sealed class MartenAppends(DocumentStore store, Workload workload, IReadOnlyList<Guid> streams)
{
    private const string User = "bench.marten";

    public async Task<Outcome> Next()
    {
        var rng = Random.Shared;
        var now = DateTimeOffset.UtcNow;
        await using var session = store.LightweightSession();
        session.LastModifiedBy = User;
        session.CorrelationId = Guid.NewGuid().ToString("N");
        session.CausationId = session.CorrelationId;
        if (rng.Next(Workload.CommandsPerComplaint) == 0)
        {
            var id = Guid.CreateVersion7();
            var received = Workload.Receive(rng, workload.Categories[rng.Next(workload.Categories.Length)], null)
                .Decide(id, $"C-{now.UtcDateTime.Year}-A{rng.Next(100_000_000):D8}", new CommandContext(User, now, workload.Policies));
            session.Events.StartStream<Complaint>(id, received);
        }
        else
        {
            var evidence = Workload.Evidence(rng);
            session.Events.Append(streams[rng.Next(streams.Count)],
                new EvidenceRecorded(evidence.Kind!.Value, evidence.Description!, evidence.Party, now, User));
        }
        try
        {
            await session.SaveChangesAsync();
            return Outcome.Ok;
        }
        catch (Exception e) when (MartenCommands.IsConflict(e))
        {
            // Two appends to one stream at once, neither having read it: the second loses on the stream's version.
            return Outcome.Conflict;
        }
    }
}

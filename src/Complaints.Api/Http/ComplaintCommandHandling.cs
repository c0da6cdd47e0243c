using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;

namespace Complaints.Api.Http;

/// <summary>
/// The one path every command on an existing complaint takes: fetch the complaint for writing, decide, append
/// the events, commit, and answer with the case as it now stands.
/// </summary>
public sealed class ComplaintCommandHandling(ComplaintPolicies policies, TimeProvider clock)
{
    public async Task<IResult> Execute(Guid id, ComplaintCommand command, HttpContext http, IDocumentSession session)
    {
        ComplaintHttp.RequireBody(command);
        var user = ComplaintHttp.ActingUser(http);
        var ct = http.RequestAborted;

        // Writers queue on the stream's row lock and apply in order, so no event is ever lost. With If-Match the
        // caller also asks that nothing has changed since the version it saw; checking that under the lock, before
        // anything is appended, means a stale command never takes event sequence numbers that it then gives back
        // (a gap the async daemon would have to wait out).
        var expected = ComplaintHttp.ExpectedVersion(http.Request);
        var stream = await session.Events.FetchForExclusiveWriting<Complaint>(id, ct);
        var current = stream.CurrentVersion ?? stream.StartingVersion ?? 0;
        if (stream.Aggregate is not null && expected is { } version && current != version)
            throw new StaleVersion(id, version, current);
        if (stream.Aggregate is null) throw new ComplaintNotFound(id);

        var events = command.Decide(stream.Aggregate, new CommandContext(user, clock.GetUtcNow(), policies));
        session.LastModifiedBy = user;
        session.RecordCausation(http);
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);

        var details = await session.LoadAsync<ComplaintDetails>(id, ct)
            ?? throw new InvalidOperationException($"complaint {id} has events but no details");
        return ComplaintHttp.Details(http, details);
    }
}

using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using JasperFx.Events;

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

        // With If-Match the caller asks for optimistic concurrency (a stale version is refused); without it,
        // concurrent writers queue on the stream's row lock and apply in order, so no event is ever lost.
        IEventStream<Complaint> stream = ComplaintHttp.ExpectedVersion(http.Request) is { } expected
            ? await session.Events.FetchForWriting<Complaint>(id, expected, ct)
            : await session.Events.FetchForExclusiveWriting<Complaint>(id, ct);
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

using Complaints.Api.Commanding;
using Complaints.Domain;
using Marten;
using Wolverine;

namespace Complaints.Api.Promises;

/// <summary>
/// A promise's timer: scheduled for the due, in the durable inbox, when a step sets or moves the due. It names only the
/// promise and the due it was set for; the complaint as it stands when it goes off decides what, if anything, to record.
/// </summary>
public sealed record ServicePromiseFellDue(Guid ComplaintId, ServicePromise Promise, DateTimeOffset DueAt);

public static class ServicePromiseFellDueHandler
{
    public static Task Handle(ServicePromiseFellDue due, IDocumentSession session, IMessageBus bus, ComplaintCommands commands, CancellationToken ct) =>
        commands.Check(due.ComplaintId, due.Promise, due.DueAt, session, bus, ct);
}

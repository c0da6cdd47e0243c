using Complaints.Domain;
using Marten;
using Wolverine;

namespace Complaints.Api.Commanding;

/// <summary>
/// A promise's timer: scheduled for the due, in the durable inbox, when a step sets or moves the due. It names only the
/// promise and the due it was set for; the complaint as it stands when it goes off decides what, if anything, to record.
/// </summary>
// Stored timers name the message as it was first called: the name stays when the type moves.
[Wolverine.Attributes.MessageIdentity(MessageName)]
public sealed record ServicePromiseFellDue(Guid ComplaintId, ServicePromise Promise, DateTimeOffset DueAt)
{
    public const string MessageName = "Complaints.Api.Promises.ServicePromiseFellDue";
}

public static class ServicePromiseFellDueHandler
{
    public static Task Handle(ServicePromiseFellDue due, IDocumentSession session, IMessageBus bus, ComplaintCommands commands, CancellationToken ct) =>
        commands.Check(due.ComplaintId, due.Promise, due.DueAt, session, bus, ct);
}

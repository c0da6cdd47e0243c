using Complaints.Api.Integration;
using Complaints.Domain;
using Wolverine;

namespace Complaints.Api.Commanding;

/// <summary>
/// What recording a complaint's events sends on: its integration events (to the events queues and to every webhook
/// that wants them) and a timer for each promise whose due the events set. All of it goes through the outbox of the
/// session that records the events, so it is sent if and only if that transaction commits.
/// </summary>
public sealed class ComplaintPublications(WebhookSettings webhooks, ComplaintPolicies policies, TimeProvider clock)
{
    /// <param name="before">The complaint before the events; null when they start its stream.</param>
    /// <param name="firstVersion">The stream version of the first of the events.</param>
    public async Task Publish(Complaint? before, IReadOnlyList<object> events, long firstVersion, IMessageBus bus)
    {
        var state = before;
        var version = firstVersion;
        foreach (var e in events)
        {
            state = state is null ? Complaint.From((ComplaintReceived)e) : state.After(e);
            if (IntegrationEventMapping.Map(e, state, version) is { } published)
            {
                await bus.PublishAsync(published);
                foreach (var delivery in webhooks.DeliveriesOf(published)) await bus.PublishAsync(delivery);
            }
            version++;
        }

        if (state is null) return;
        foreach (var (promise, due) in state.DuesSetSince(before))
            await bus.ScheduleAsync(new ServicePromiseFellDue(state.Id, promise, due), policies.Promises.CheckAt(due, clock.GetUtcNow()));
    }
}

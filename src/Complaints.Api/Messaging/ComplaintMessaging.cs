using Complaints.Api.Integration;
using Complaints.Api.Commanding;
using Complaints.Contracts.V1;
using Wolverine;
using Wolverine.Postgresql;

namespace Complaints.Api.Messaging;

/// <summary>
/// The queues of the complaints service, all kept in PostgreSQL beside the events: commands from other services come in
/// on complaints-commands; integration events go out on complaints-events (and on any further queue configured, one
/// per subscribing service, since a queue's messages go to one consumer each); promise timers and webhook deliveries
/// wait in durable local queues, so that a restart loses none.
/// </summary>
public sealed class ComplaintMessaging(IConfiguration configuration, WebhookSettings webhooks) : IWolverineExtension
{
    public const string CommandQueue = "complaints-commands";
    public const string EventQueue = "complaints-events";
    public const string PromiseTimers = "service-promises";
    public const string WebhookDeliveries = "webhooks";

    /// <summary>The queues integration events go to: Complaints:IntegrationEvents:Queues, else complaints-events.</summary>
    public static IReadOnlyList<string> EventQueues(IConfiguration configuration)
    {
        var queues = configuration.GetSection("Complaints:IntegrationEvents:Queues").GetChildren()
            .Select(q => q.Value).Where(q => !string.IsNullOrWhiteSpace(q)).Select(q => q!.Trim()).Distinct().ToList();
        return queues.Count > 0 ? queues : [EventQueue];
    }

    public void Configure(WolverineOptions opts)
    {
        opts.Policies.UseDurableLocalQueues();
        // One at a time, in the order sent: "accept" right behind "receive" must not overtake it.
        opts.ListenToPostgresqlQueue(CommandQueue).Sequential();

        opts.Publish(rule =>
        {
            rule.MessagesImplementing<IComplaintIntegrationEvent>();
            foreach (var queue in EventQueues(configuration)) rule.ToPostgresqlQueue(queue);
        });

        opts.PublishMessage<ServicePromiseFellDue>().ToLocalQueue(PromiseTimers);
        opts.PublishMessage<WebhookDelivery>().ToLocalQueue(WebhookDeliveries);
        opts.Policies.Add(new WebhookRetries(webhooks.RetryDelays));
    }
}

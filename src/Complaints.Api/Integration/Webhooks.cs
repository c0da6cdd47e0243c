using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Complaints.Api.Identity;
using Complaints.Contracts.V1;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Complaints.Api.Integration;

/// <summary>An HTTP endpoint that wants integration events: all of them, or those named (ComplaintResolved, …).</summary>
public sealed record Webhook(string Name, Uri Url, IReadOnlySet<string> Events, string Secret)
{
    public bool Wants(IComplaintIntegrationEvent e) => Events.Count == 0 || Events.Contains(e.GetType().Name);
}

/// <summary>
/// The webhooks registered in configuration ("Complaints:Webhooks"), and how long to wait between attempts when one
/// fails. After the last attempt the delivery goes to the dead letters, where an administrator sees and replays it.
/// </summary>
public sealed class WebhookSettings(IReadOnlyList<Webhook> hooks, IReadOnlyList<TimeSpan> retryDelays)
{
    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6)];

    public IReadOnlyList<Webhook> Hooks { get; } = hooks;
    public IReadOnlyList<TimeSpan> RetryDelays { get; } = retryDelays;

    public Webhook? Find(string name) => Hooks.FirstOrDefault(h => h.Name == name);

    /// <summary>One delivery per webhook that wants the event; the body is built now, as the event is recorded.</summary>
    public IEnumerable<WebhookDelivery> DeliveriesOf(IComplaintIntegrationEvent e)
    {
        var wanting = Hooks.Where(h => h.Wants(e)).ToList();
        if (wanting.Count == 0) yield break;
        var type = e.GetType().FullName!;
        foreach (var hook in wanting)
        {
            var id = Guid.CreateVersion7();
            var body = JsonSerializer.Serialize(new { id, type, data = (object)e }, JsonSerializerOptions.Web);
            yield return new WebhookDelivery(id, hook.Name, type, body);
        }
    }

    public const int MinimumSecretBytes = 16;

    /// <summary>Each webhook needs an https URL and a secret; a setting that does not hold stops the start.</summary>
    public static WebhookSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Complaints:Webhooks");
        var hooks = section.GetSection("Endpoints").GetChildren().Select(hook =>
        {
            var name = $"Complaints:Webhooks:Endpoints:{hook.Key}";
            var url = hook["Url"];
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new StartRefused($"{name}:Url is '{url}'; give an absolute https URL");
            // Plain http only to this machine, on a developer's machine (the tests' own receiver).
            if (uri.Scheme == "http" && !(uri.IsLoopback && DevelopmentKeys.Refusal(configuration, name) is null))
                throw new StartRefused($"{name}:Url is '{url}'; deliveries go over https only");
            var secret = hook["Secret"];
            if (string.IsNullOrWhiteSpace(secret) || Encoding.UTF8.GetByteCount(secret) < MinimumSecretBytes)
                throw new StartRefused($"{name}:Secret is needed, at least {MinimumSecretBytes} bytes: every delivery is signed with it");
            var events = hook.GetSection("Events").GetChildren().Select(e => e.Value!).Where(e => !string.IsNullOrWhiteSpace(e)).ToHashSet();
            var unknown = events.Except(typeof(IComplaintIntegrationEvent).Assembly.GetTypes()
                .Where(t => t.IsAssignableTo(typeof(IComplaintIntegrationEvent)) && !t.IsInterface).Select(t => t.Name)).ToList();
            if (unknown.Count > 0)
                throw new StartRefused($"{name}:Events names no such event: {string.Join(", ", unknown)}");
            return new Webhook(hook.Key, uri, events, secret);
        }).ToList();
        var delays = section.GetSection("RetryDelays").GetChildren()
            .Select(d => ConfiguredTime.Parse(d.Value, $"Complaints:Webhooks:RetryDelays:{d.Key}"))
            .ToList();
        return new WebhookSettings(hooks, delays.Count > 0 ? delays : DefaultRetryDelays);
    }
}

/// <summary>One integration event on its way to one webhook; kept in the durable inbox until the webhook takes it.</summary>
public sealed record WebhookDelivery(Guid Id, string Webhook, string Type, string Body);

/// <summary>The delivery names a webhook that is no longer configured.</summary>
public sealed class WebhookNotConfigured(string webhook) : Exception($"Webhook {webhook} is not configured (any more).");

/// <summary>The webhook answered with something other than success.</summary>
public sealed class WebhookRefused(string webhook, int status) : Exception($"Webhook {webhook} answered {status}.");

public static class WebhookDeliveryHandler
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "Complaints-Signature";

    /// <summary>
    /// <c>t=UNIX-SECONDS,v1=HEX</c>: the HMAC-SHA256, under the webhook's secret, of the time of this attempt, a dot and the
    /// body as sent. A receiver recomputes it, refuses a time far from its own clock (a replayed delivery) and takes each
    /// Complaints-Delivery-Id once.
    /// </summary>
    public static string Signature(string secret, DateTimeOffset at, string body)
    {
        var time = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{time}.{body}"));
        return $"t={time},v1={Convert.ToHexStringLower(mac)}";
    }

    public static async Task Handle(WebhookDelivery delivery, WebhookSettings settings, IHttpClientFactory clients, TimeProvider clock,
        ILogger<WebhookDelivery> log, CancellationToken ct)
    {
        // A webhook removed from the configuration keeps its deliveries as dead letters, to replay if it comes back.
        var hook = settings.Find(delivery.Webhook) ?? throw new WebhookNotConfigured(delivery.Webhook);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Complaints-Delivery-Id", delivery.Id.ToString());
        request.Headers.Add("Complaints-Event-Type", delivery.Type);
        request.Headers.Add(SignatureHeader, Signature(hook.Secret, clock.GetUtcNow(), delivery.Body));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            log.LogWarning("Webhook {Webhook} answered {Status} to delivery {Delivery} of {Type}; it will be tried again",
                hook.Name, (int)response.StatusCode, delivery.Id, delivery.Type);
            throw new WebhookRefused(hook.Name, (int)response.StatusCode);
        }
    }
}

/// <summary>A failed delivery is tried again after each configured delay, then kept as a dead letter.</summary>
public sealed class WebhookRetries(IReadOnlyList<TimeSpan> delays) : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(WebhookDelivery)))
        {
            chain.OnException<WebhookNotConfigured>().MoveToErrorQueue();
            chain.OnException<WebhookRefused>().Or<HttpRequestException>().Or<TaskCanceledException>()
                .ScheduleRetry([.. delays]).Then.MoveToErrorQueue();
        }
    }
}

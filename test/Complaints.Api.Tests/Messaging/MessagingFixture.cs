using Complaints.Api.Identity;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Complaints.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.Tracking;

namespace Complaints.Api.Tests.Messaging;

[CollectionDefinition(nameof(MessagingCollection))]
public sealed class MessagingCollection : ICollectionFixture<MessagingFixture>;

/// <summary>The API's clock, which the promise tests move forward; everything else runs on real time.</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}

/// <summary>
/// The API as other services meet it, over a database of its own (so that its queues and timers are nobody else's):
/// with the real promise terms and a clock the tests drive, a subscribing service (a second Wolverine host that listens
/// to complaints-events and sends on complaints-commands), and a webhook receiver that refuses every delivery twice
/// before it takes it.
/// </summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    public const string WebhookSecret = "webhook-test-secret";

    public IAlbaHost Host { get; private set; } = null!;
    public IHost Subscriber { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public IntegrationEventRecorder Events { get; } = new();
    public WebhookReceiver Webhooks { get; } = new();
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_messaging");
        var webhookUrl = await Webhooks.Start();
        Host = await StartApi(ConnectionString, Clock, new Dictionary<string, string>
        {
            ["Complaints:Webhooks:Endpoints:recorder:Url"] = webhookUrl,
            ["Complaints:Webhooks:Endpoints:recorder:Secret"] = WebhookSecret,
            ["Complaints:Webhooks:Endpoints:recorder:Events:0"] = "ComplaintReceived",
            ["Complaints:Webhooks:Endpoints:recorder:Events:1"] = "ComplaintClosed",
            ["Complaints:Webhooks:Endpoints:down:Url"] = webhookUrl.Replace("/hooks", "/down"),
            ["Complaints:Webhooks:Endpoints:down:Secret"] = WebhookSecret,
            ["Complaints:Webhooks:Endpoints:down:Events:0"] = "ComplaintClosed",
            ["Complaints:Webhooks:RetryDelays:0"] = "00:00:00.200",
            ["Complaints:Webhooks:RetryDelays:1"] = "00:00:00.400",
            ["Complaints:Webhooks:RetryDelays:2"] = "00:00:00.800",
        });
        Subscriber = await StartSubscriber(ConnectionString, Events);
    }

    /// <summary>An API host over the given database, with the real promise terms and fast polling of its durable queues.</summary>
    public static async Task<IAlbaHost> StartApi(string connectionString, TimeProvider clock, IReadOnlyDictionary<string, string> settings) =>
        await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Complaints", connectionString);
            builder.UseSetting(DevelopmentKeys.Switch, "true");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                TestIdentities.AddTo(services, clock);
                services.ConfigureWolverine(opts => opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(250));
            });
        });

    /// <summary>Another service: it hears the integration events and sends commands on the queue.</summary>
    private static async Task<IHost> StartSubscriber(string connectionString, IntegrationEventRecorder recorder)
    {
        var host = Microsoft.Extensions.Hosting.Host.CreateDefaultBuilder()
            .UseWolverine(opts =>
            {
                opts.ServiceName = "subscriber";
                opts.ApplicationAssembly = typeof(MessagingFixture).Assembly;
                opts.Discovery.DisableConventionalDiscovery().IncludeType<IntegrationEventRecorderHandler>();
                opts.UsePostgresqlPersistenceAndTransport(connectionString, "subscriber").AutoProvision();
                opts.ListenToPostgresqlQueue("complaints-events");
                opts.PublishMessage<ComplaintCommandMessage>().ToPostgresqlQueue("complaints-commands");
                opts.Durability.Mode = DurabilityMode.Solo;
                opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(250);
            })
            .ConfigureServices(services => services.AddSingleton(recorder))
            .Build();
        await host.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Subscriber.StopAsync();
        Subscriber.Dispose();
        await Host.StopAsync();
        await Host.DisposeAsync();
        await Webhooks.DisposeAsync();
    }

    /// <summary>Runs a step in a tracked session and returns the promise timers it scheduled for this complaint, with their times.</summary>
    public static async Task<(JsonObject Details, List<(Api.Commanding.ServicePromiseFellDue Timer, DateTimeOffset At)> Timers)> TimersSetBy(
        IAlbaHost host, Func<Task<JsonObject>> step, Guid id)
    {
        JsonObject details = null!;
        var session = await host.TrackActivity().DoNotAssertOnExceptionsDetected().Timeout(TimeSpan.FromSeconds(30))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => details = await step()));
        var timers = session.Scheduled.Envelopes()
            .Where(e => e.Message is Api.Commanding.ServicePromiseFellDue t && t.ComplaintId == id)
            .Select(e => ((Api.Commanding.ServicePromiseFellDue)e.Message!, e.ScheduledTime!.Value)).ToList();
        return (details, timers);
    }

    /// <summary>Waits, up to the timeout, until the condition holds.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }
}

/// <summary>Every integration event the subscribing service heard, in the order it heard them.</summary>
public sealed class IntegrationEventRecorder
{
    private readonly ConcurrentQueue<IComplaintIntegrationEvent> _heard = new();

    public void Heard(IComplaintIntegrationEvent e) => _heard.Enqueue(e);

    public IReadOnlyList<IComplaintIntegrationEvent> Of(Guid complaintId) =>
        _heard.Where(e => e.ComplaintId == complaintId).OrderBy(e => e.Version).ToList();

    public IReadOnlyList<IComplaintIntegrationEvent> All => _heard.ToList();
}

public sealed class IntegrationEventRecorderHandler(IntegrationEventRecorder recorder)
{
    public void Handle(ComplaintReceived e) => recorder.Heard(e);
    public void Handle(ComplaintAssigned e) => recorder.Heard(e);
    public void Handle(ComplaintResolved e) => recorder.Heard(e);
    public void Handle(FollowUpRecorded e) => recorder.Heard(e);
    public void Handle(ReReviewRequested e) => recorder.Heard(e);
    public void Handle(ComplaintEscalated e) => recorder.Heard(e);
    public void Handle(ServicePromiseMissed e) => recorder.Heard(e);
    public void Handle(ComplaintClosed e) => recorder.Heard(e);
}

/// <summary>A real HTTP endpoint that answers 503 to the first two attempts of every delivery, then takes it.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const int Refusals = 2;

    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentQueue<(JsonObject Body, string Raw, Dictionary<string, string> Headers)> _taken = new();

    /// <summary>Each delivery taken: its body parsed, the body as sent (what the signature covers), and its headers.</summary>
    public IReadOnlyList<(JsonObject Body, string Raw, Dictionary<string, string> Headers)> Taken => _taken.ToList();

    public int AttemptsAt(string deliveryId) => _attempts.GetValueOrDefault(deliveryId);

    /// <summary>The /down endpoint refuses everything until it is back up.</summary>
    public bool DownIsUp { get; set; }

    public IReadOnlyList<JsonObject> TakenWhileDown => _takenDown.ToList();

    private readonly ConcurrentQueue<JsonObject> _takenDown = new();

    public async Task<string> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hooks", async (HttpContext http) =>
        {
            var delivery = http.Request.Headers["Complaints-Delivery-Id"].ToString();
            var attempt = _attempts.AddOrUpdate(delivery, 1, (_, n) => n + 1);
            if (attempt <= Refusals) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
            _taken.Enqueue((JsonNode.Parse(raw)!.AsObject(), raw, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Results.Ok();
        });
        _app.MapPost("/down", async (HttpContext http) =>
        {
            if (!DownIsUp) return Results.StatusCode(StatusCodes.Status500InternalServerError);
            _takenDown.Enqueue((await JsonNode.ParseAsync(http.Request.Body))!.AsObject());
            return Results.Ok();
        });
        await _app.StartAsync();
        return _app.Urls.First() + "/hooks";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

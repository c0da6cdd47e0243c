using System.Net;
using Alba;
using Complaints.Api.Tests.Messaging;
using Complaints.Api.Tests.Support;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// An API over a database of its own, with limits tight enough to reach: 3 commands and 4 reads per caller a minute, the
/// analytics more than one event behind make it degraded, and /metrics is open on port 9464. Nothing listens to its event
/// queue, so every integration event it publishes waits there.
/// </summary>
public sealed class TightLimitsHost : IAsyncLifetime
{
    public const int CommandLimit = 3;
    public const int ReadLimit = 4;
    public const int MetricsPort = 9464;

    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_limits");
        Host = await MessagingFixture.StartApi(ConnectionString, TimeProvider.System, new Dictionary<string, string>
        {
            ["Complaints:RateLimits:Commands:PermitLimit"] = CommandLimit.ToString(),
            ["Complaints:RateLimits:Commands:WindowSeconds"] = "60",
            ["Complaints:RateLimits:Reads:PermitLimit"] = ReadLimit.ToString(),
            ["Complaints:RateLimits:Reads:WindowSeconds"] = "60",
            ["Complaints:Health:MaxProjectionLag"] = "1",
            ["Complaints:Metrics:AnonymousPort"] = MetricsPort.ToString(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }

    /// <summary>/metrics as the scraper on the metrics port reads it: no token.</summary>
    public Task<Scrape> Scrape() => Support.Scrape.Of(Host, (ApiFixture.AnonymousHeader, "true"), ("Host", $"localhost:{MetricsPort}"));
}

public sealed class TightLimitsTests(TightLimitsHost limits) : IClassFixture<TightLimitsHost>
{
    [Fact]
    public async Task a_caller_past_its_commands_gets_429_with_retry_after_while_others_are_served()
    {
        var amy = new ComplaintsApi(limits.Host, "intake.amy");
        for (var i = 0; i < TightLimitsHost.CommandLimit; i++) await amy.Receive();

        var refused = await limits.Host.Scenario(s =>
        {
            s.Post.Json(NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader(ApiFixture.UserHeader, "intake.amy");
            s.StatusCodeShouldBe(HttpStatusCode.TooManyRequests);
        });
        var problem = Problem(refused);
        Text(problem["title"]).ShouldBe("Too many commands");
        int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(1, 60);

        // Another caller is served; amy's reads are counted apart from her commands.
        await new ComplaintsApi(limits.Host, "intake.bo").Receive();
        await limits.Host.Scenario(s =>
        {
            s.Get.Url("/api/complaints");
            s.WithRequestHeader(ApiFixture.UserHeader, "intake.amy");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task a_caller_past_its_reads_gets_429_with_retry_after()
    {
        for (var i = 0; i < TightLimitsHost.ReadLimit; i++)
            await limits.Host.Scenario(s =>
            {
                s.Get.Url("/api/complaints");
                s.WithRequestHeader(ApiFixture.UserHeader, "dispatcher.reader");
                s.StatusCodeShouldBeOk();
            });

        var refused = await limits.Host.Scenario(s =>
        {
            s.Get.Url("/api/complaints");
            s.WithRequestHeader(ApiFixture.UserHeader, "dispatcher.reader");
            s.StatusCodeShouldBe(HttpStatusCode.TooManyRequests);
        });
        Text(Problem(refused)["title"]).ShouldBe("Too many reads");
        refused.Context.Response.Headers.RetryAfter.ToString().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task the_scrape_shows_the_projection_lag_and_the_queue_depth_move_and_ready_says_when_the_analytics_fall_behind()
    {
        var coordinator = limits.Host.Services.GetRequiredService<IProjectionCoordinator>();
        var daemon = coordinator.DaemonForMainDatabase();
        const string shard = "ComplaintAnalytics:All";
        var database = Scrape.Of(limits.ConnectionString);
        var queue = ("queue", "complaints-events");
        var projection = ("projection", "ComplaintAnalytics");
        await new ComplaintsApi(limits.Host, "intake.before").Receive(); // the store has events to wait for
        await limits.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var before = await limits.Scrape();
        before.Value("complaints_projection_lag", database, projection).ShouldBe(0);

        // The projections stop, and the coordinator with them: it would otherwise start a stopped agent again within
        // seconds, before a loaded machine shows the lag. The store's sequence goes on.
        await daemon.WaitForShardToBeRunning(shard, TimeSpan.FromSeconds(30));
        await coordinator.PauseAsync();
        try
        {
            var dispatcher = new ComplaintsApi(limits.Host, "dispatcher.lag");
            // Received as it happens, so that the store moves on while the projection stands still.
            var id = await new ComplaintsApi(limits.Host, "intake.lag").ReceiveId(NewComplaint(receivedAt: DateTimeOffset.UtcNow));
            await dispatcher.Do(id, "accept");

            // The receipt is told to other services on the event queue, which nobody reads here.
            var depth = before.Value("complaints_queue_depth", database, queue);
            await MessagingFixture.Eventually(async () => (await limits.Scrape()).Value("complaints_queue_depth", database, queue) == depth + 1,
                "the integration event waits on the queue");
            // The store's high-water mark is read by the daemon now and then, so the lag shows within a few seconds.
            await MessagingFixture.Eventually(async () => (await limits.Scrape()).Value("complaints_projection_lag", database, projection) >= 2,
                "the lag counts the two events the stopped projection has not seen");

            // The daemon's check sees the analytics trail the store by more than the one event allowed.
            (await Ready())["checks"]!["projection-daemon"]!["status"]!.GetValue<string>().ShouldBe("Degraded");
        }
        finally
        {
            await coordinator.ResumeAsync();
        }

        await limits.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await limits.Scrape()).Value("complaints_projection_lag", database, projection).ShouldBe(0);
        (await Ready())["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [Fact]
    public async Task metrics_are_open_on_their_port_only()
    {
        (await limits.Scrape()).Text.ShouldContain("complaints_queue_depth{");
        // Not on the API's own port, even for an administrator.
        await limits.Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.ops");
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
        });
    }

    private async Task<System.Text.Json.Nodes.JsonObject> Ready() => Json(await limits.Host.Scenario(s =>
    {
        s.Get.Url("/health/ready");
        s.WithRequestHeader(ApiFixture.UserHeader, "admin.ops");
        s.StatusCodeShouldBeOk();
    }));
}

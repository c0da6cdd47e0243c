using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// /metrics counts each command by its outcome, over HTTP as over the queue. Other tests give commands meanwhile, so each
/// count is checked to have moved at least by the commands given here.
/// </summary>
public sealed class MetricsTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.metrics");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.metrics");

    [Fact]
    public async Task each_command_is_counted_by_its_outcome()
    {
        var before = await Scrape.Of(fixture.Host);

        var id = await _intake.ReceiveId();
        var key = Guid.NewGuid().ToString();
        await _intake.Receive(idempotencyKey: key);
        await _intake.Receive(idempotencyKey: key);
        await _intake.ReceiveFails(new { channel = "Phone" });
        await _dispatcher.Fails(id, "accept", new { }, HttpStatusCode.PreconditionFailed, ifMatch: "\"7\"");
        await _dispatcher.Do(id, "accept");
        await _dispatcher.Fails(id, "accept", new { }, HttpStatusCode.Conflict);
        await _dispatcher.Fails(Guid.NewGuid(), "accept", new { }, HttpStatusCode.NotFound);

        var after = await Scrape.Of(fixture.Host);
        var database = Scrape.Of(fixture.ConnectionString);
        double Moved(string command, string outcome) =>
            after.Value("complaints_commands_total", database, ("command", command), ("outcome", outcome))
            - before.Value("complaints_commands_total", database, ("command", command), ("outcome", outcome));
        Moved("receive", "recorded").ShouldBeGreaterThanOrEqualTo(2);
        Moved("receive", "repeated").ShouldBeGreaterThanOrEqualTo(1);
        Moved("receive", "invalid").ShouldBeGreaterThanOrEqualTo(1);
        Moved("accept", "stale").ShouldBeGreaterThanOrEqualTo(1);
        Moved("accept", "recorded").ShouldBeGreaterThanOrEqualTo(1);
        Moved("accept", "refused").ShouldBeGreaterThanOrEqualTo(1);
        Moved("accept", "not_found").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task the_scrape_carries_the_libraries_metrics_and_is_not_for_anyone()
    {
        await _intake.ReceiveId();
        var scrape = await Scrape.Of(fixture.Host);
        scrape.Text.ShouldContain("http_server_request_duration_seconds_bucket");
        scrape.Text.ShouldContain("otel_scope_name=\"Wolverine:");
        scrape.Text.ShouldContain("complaints_projection_lag{");
        scrape.Text.ShouldContain("complaints_queue_depth{");

        await fixture.Host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            s.WithRequestHeader("Authorization", "Bearer " + fixture.Token("metrics.analyst", global::Complaints.Api.Identity.Roles.Analyst));
            s.StatusCodeShouldBe(HttpStatusCode.Forbidden);
        });
    }

    [Fact]
    public async Task another_host_in_the_process_stopping_leaves_this_hosts_metrics()
    {
        await _intake.ReceiveId();
        var other = WebApplication.CreateSlimBuilder();
        other.WebHost.UseTestServer();
        await using (var app = other.Build())
        {
            app.MapGet("/", () => "other");
            await app.StartAsync();
            (await app.GetTestClient().GetAsync("/")).EnsureSuccessStatusCode();
            await app.StopAsync();
        }

        // The first collect after the other host stopped is the one that would drop what its stop ended.
        await Scrape.Of(fixture.Host);
        await _intake.ReceiveId();
        var scrape = await Scrape.Of(fixture.Host);
        scrape.Text.ShouldContain("http_server_request_duration_seconds_bucket{otel_scope_name=\"Microsoft.AspNetCore.Hosting\"");
    }
}

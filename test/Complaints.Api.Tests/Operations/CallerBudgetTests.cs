using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Messaging;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Operations;

/// <summary>
/// An API over a database of its own with budgets small enough to reach: one command at work at once and one more
/// waiting per caller, and the identities of two cases an hour per user.
/// </summary>
public sealed class CallerBudgetHost : IAsyncLifetime
{
    public const int IdentityReads = 2;

    public IAlbaHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_budgets");
        Host = await MessagingFixture.StartApi(connectionString, TimeProvider.System, new Dictionary<string, string>
        {
            ["Complaints:Http:MaxConcurrentCommands"] = "1",
            ["Complaints:Http:QueuedCommandsPerCaller"] = "1",
            ["Complaints:RateLimits:IdentityReads:PermitLimit"] = IdentityReads.ToString(),
            ["Complaints:RateLimits:IdentityReads:WindowSeconds"] = "3600",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

public sealed class CallerBudgetTests(CallerBudgetHost budgets) : IClassFixture<CallerBudgetHost>
{
    private IAlbaHost Host => budgets.Host;

    [Fact]
    public async Task a_caller_may_have_one_command_waiting_past_which_it_gets_429_while_another_caller_still_queues()
    {
        var limiter = Host.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        // Another caller's command holds the one place, so that what follows has to wait.
        var held = await limiter.AcquireAsync(CommandBy("importer"));
        held.IsAcquired.ShouldBeTrue();
        Task<IScenarioResult> amysFirst, bosFirst;
        try
        {
            amysFirst = Receive("intake.amy", HttpStatusCode.Created);
            await MessagingFixture.Eventually(() => Task.FromResult(Waiting(limiter, "intake.amy") == 1), "amy's first command waits");

            var refused = await Receive("intake.amy", HttpStatusCode.TooManyRequests);
            Text(Problem(refused)["title"]).ShouldBe("Too many commands waiting");
            refused.Context.Response.Headers.RetryAfter.ToString().ShouldBe("1");

            bosFirst = Receive("intake.bo", HttpStatusCode.Created);
            await MessagingFixture.Eventually(() => Task.FromResult(Waiting(limiter, "intake.bo") == 1), "bo's command waits, not refused");
            amysFirst.IsCompleted.ShouldBeFalse();
        }
        finally
        {
            held.Dispose();
        }
        await amysFirst;
        await bosFirst;
    }

    [Fact]
    public async Task a_user_past_the_identities_budget_gets_429_another_user_is_served_and_the_audit_shows_each_read()
    {
        var intake = new ComplaintsApi(Host, "intake.budget");
        var cases = new[] { await intake.ReceiveId(), await intake.ReceiveId(), await intake.ReceiveId() };

        await Read("manager.dee", $"/api/complaints/{cases[0]}", HttpStatusCode.OK);
        await Read("manager.dee", $"/api/complaints/{cases[1]}/history", HttpStatusCode.OK);
        await Read("manager.dee", $"/api/complaints/{cases[0]}?version=1", HttpStatusCode.OK); // the same case again costs nothing
        var refused = await Read("manager.dee", $"/api/complaints/{cases[2]}", HttpStatusCode.TooManyRequests);
        Text(Problem(refused)["title"]).ShouldBe("Too many complainants' identities read");
        int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(3_000, 3_600);
        refused.ReadAsText().ShouldNotContain("Zhang Wei");

        await Read("dispatcher.eve", $"/api/complaints/{cases[2]}", HttpStatusCode.OK);

        var audit = JsonNode.Parse((await Read("auditor.ann", "/api/admin/actions?action=read-identities", HttpStatusCode.OK)).ReadAsText())!
            .AsArray().Select(a => (By: Text(a!["by"]), Details: Text(a["details"]), Action: Text(a["action"]))).ToList();
        audit.ShouldAllBe(a => a.Action == "read-identities");
        audit.Where(a => a.By == "manager.dee").Select(a => a.Details).OrderBy(d => d).ShouldBe(new[]
        {
            $"GET /api/complaints/{cases[0]}: 1 case {cases[0]}",
            $"GET /api/complaints/{cases[0]}?version=1: 1 case {cases[0]}",
            $"GET /api/complaints/{cases[1]}/history: 1 case {cases[1]}",
        }.OrderBy(d => d));
        audit.ShouldContain(a => a.By == "dispatcher.eve" && a.Details.EndsWith(cases[2].ToString()));
    }

    private Task<IScenarioResult> Receive(string user, HttpStatusCode status) => Host.Scenario(s =>
    {
        s.Post.Json(NewComplaint(receivedAt: DateTimeOffset.UtcNow)).ToUrl("/api/complaints");
        s.WithRequestHeader(ApiFixture.UserHeader, user);
        s.StatusCodeShouldBe(status);
    });

    private Task<IScenarioResult> Read(string user, string url, HttpStatusCode status) => Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader(ApiFixture.UserHeader, user);
        s.StatusCodeShouldBe(status);
    });

    /// <summary>A command as the limiter sees it: a POST on the complaints by this user.</summary>
    private static HttpContext CommandBy(string user)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        http.Request.Path = "/api/complaints";
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(TokenSettings.UserClaim, user)], "test"));
        return http;
    }

    private static long Waiting(PartitionedRateLimiter<HttpContext> limiter, string user) =>
        limiter.GetStatistics(CommandBy(user))?.CurrentQueuedCount ?? 0;
}

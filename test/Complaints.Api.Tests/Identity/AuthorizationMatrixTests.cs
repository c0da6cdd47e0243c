using System.Net;
using Alba;
using Complaints.Api.Commanding;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Complaints.Api.Tests.Identity;

/// <summary>
/// Every endpoint against every role: the roles that do that work get past authorization, every other role
/// gets 403, and a request without a token 401, each as problem details.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFixture fixture)
{
    private const string Id = "00000000-0000-0000-0000-00000000abcd";

    /// <summary>Who may give the commands of each policy, written out as the role table says, not read from the code.</summary>
    private static readonly Dictionary<string, string[]> CommandRoles = new()
    {
        [Policies.Receive] = [Roles.Intake, Roles.Service],
        [Policies.Dispatch] = [Roles.Dispatcher, Roles.Service],
        [Policies.Investigate] = [Roles.Handler, Roles.Service],
        [Policies.Escalate] = [Roles.Handler, Roles.Dispatcher, Roles.Service],
        [Policies.Resolve] = [Roles.Handler, Roles.Intake, Roles.Manager, Roles.Service],
        [Policies.Mediate] = [Roles.Mediator, Roles.Service],
        [Policies.FollowUp] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
        [Policies.Supervise] = [Roles.Manager, Roles.Service],
        [Policies.ReReview] = [Roles.Reviewer, Roles.Service],
        [Policies.Close] = [Roles.Dispatcher, Roles.Manager, Roles.Service],
        [Policies.Withdraw] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
        [Policies.Archive] = [Roles.Dispatcher, Roles.Admin, Roles.Service],
        [Policies.ErasePersonalData] = [Roles.Admin],
        [Policies.IssueAccessCode] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
    };

    /// <summary>Each endpoint, and the roles allowed to use it: every declared command, and the reads and operations.</summary>
    public static readonly (string Method, string Url, string[] Allowed)[] Endpoints =
    [
        ("POST", "/api/complaints", CommandRoles[CommandCatalog.Receive.Policy]),
        .. CommandCatalog.OnComplaint.Select(c => ("POST", $"/api/complaints/{Id}/{c.Action}", CommandRoles[c.Policy])),
        ("POST", $"/api/complaints/{Id}/access-code", CommandRoles[CommandCatalog.IssueAccessCode.Policy]),
        ("GET", "/api/complaints", [.. Roles.CaseHandling, Roles.Auditor, Roles.Service]),
        ("GET", $"/api/complaints/{Id}", [.. Roles.CaseHandling, Roles.Auditor, Roles.Service]),
        ("GET", $"/api/complaints/{Id}/history", [Roles.Auditor, Roles.Manager]),
        ("GET", $"/api/complaints/{Id}/verify", [Roles.Auditor, Roles.Manager]),
        ("GET", "/api/re-reviews", [Roles.Reviewer, Roles.Dispatcher, Roles.Manager]),
        ("GET", "/api/analytics/satisfaction", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/analytics/cycle-times", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/reports/monthly/2021-02", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/admin/projections", [Roles.Admin]),
        ("POST", "/api/admin/projections/NoSuchProjection/rebuild", [Roles.Admin]),
        ("GET", "/api/admin/messaging", [Roles.Admin]),
        ("GET", "/api/admin/actions", [Roles.Auditor, Roles.Admin]),
        ("POST", "/api/admin/dead-letters/", [Roles.Admin]),
        ("POST", "/api/admin/dead-letters/replay", [Roles.Admin]),
        ("GET", "/metrics", [Roles.Admin]),
    ];

    public static TheoryData<string, string, string> EveryEndpointAndRole()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, url, _) in Endpoints)
        foreach (var role in Roles.All)
            data.Add(method, url, role);
        return data;
    }

    private async Task<HttpStatusCode> Send(string method, string url, string? token)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else s.Post.Json(new { }).ToUrl(url);
            if (token is null) s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            else s.WithRequestHeader("Authorization", "Bearer " + token);
            s.IgnoreStatusCode();
        });
        var status = (HttpStatusCode)result.Context.Response.StatusCode;
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            result.Context.Response.ContentType.ShouldBe("application/problem+json");
        return status;
    }

    [Theory]
    [MemberData(nameof(EveryEndpointAndRole))]
    public async Task each_role_reaches_exactly_the_endpoints_of_its_work(string method, string url, string role)
    {
        var allowed = Endpoints.Single(e => e.Method == method && e.Url == url).Allowed.Contains(role);
        var status = await Send(method, url, fixture.Token("matrix." + role, role));
        if (allowed) status.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], $"{role} {method} {url}");
        else status.ShouldBe(HttpStatusCode.Forbidden, $"{role} {method} {url}");
    }

    [Fact]
    public async Task every_endpoint_refuses_a_request_without_a_token_or_with_a_forged_one()
    {
        foreach (var (method, url, _) in Endpoints)
        {
            (await Send(method, url, null)).ShouldBe(HttpStatusCode.Unauthorized, $"{method} {url}");
            var forged = new TokenSettings("complaints-development", "complaints-api", new string('x', 64))
                .Issue("mallory", Roles.All, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
            (await Send(method, url, forged)).ShouldBe(HttpStatusCode.Unauthorized, $"{method} {url} forged");
        }
    }

    [Fact]
    public async Task the_matrix_names_every_endpoint_the_api_maps()
    {
        var mapped = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/") && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText!.Replace("{id:guid}", "{id}").TrimStart('/'))
            .ToHashSet();
        var listed = Endpoints.Select(e => e.Url.Replace(Id, "{id}").Replace("NoSuchProjection", "{name}").Replace("2021-02", "{month}").TrimStart('/')).ToHashSet();
        mapped.Except(listed).ShouldBeEmpty("endpoints without a row in the matrix");
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task health_and_the_api_description_need_no_token(string url) =>
        (await Send("GET", url, null)).ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task the_acting_user_recorded_on_events_comes_from_the_token()
    {
        var token = fixture.Token("intake.from.token", Roles.Intake);
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(ComplaintsApi.NewComplaint(receivedAt: DateTimeOffset.UtcNow)).ToUrl("/api/complaints");
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.WithRequestHeader("X-User", "someone.else");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var id = Guid.Parse(ComplaintsApi.Text(ComplaintsApi.Json(result)["id"]));
        var history = await new ComplaintsApi(fixture.Host, "auditor.one").History(id);
        ComplaintsApi.Text(history[0]!["user"]).ShouldBe("intake.from.token");
    }
}

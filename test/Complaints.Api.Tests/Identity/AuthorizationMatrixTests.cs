using System.Net;
using Alba;
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

    /// <summary>Each endpoint, and the roles allowed to use it.</summary>
    public static readonly (string Method, string Url, string[] Allowed)[] Endpoints =
    [
        ("POST", "/api/complaints", [Roles.Intake, Roles.Service]),
        ("GET", "/api/complaints", [.. Roles.CaseHandling, Roles.Auditor, Roles.Service]),
        ("GET", $"/api/complaints/{Id}", [.. Roles.CaseHandling, Roles.Auditor, Roles.Service]),
        ("GET", $"/api/complaints/{Id}/history", [Roles.Auditor, Roles.Manager, Roles.Admin]),
        ("GET", $"/api/complaints/{Id}/verify", [Roles.Auditor, Roles.Manager, Roles.Admin]),
        ("POST", $"/api/complaints/{Id}/erase-personal-data", [Roles.Admin]),
        ("POST", $"/api/complaints/{Id}/accept", [Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/decline", [Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/triage", [Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/assign", [Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/extend", [Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/return", [Roles.Handler, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/first-response", [Roles.Handler, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/evidence", [Roles.Handler, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/findings", [Roles.Handler, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/escalate", [Roles.Handler, Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/expected-date", [Roles.Handler, Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/resolve", [Roles.Handler, Roles.Intake, Roles.Manager, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/mediation", [Roles.Mediator, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/mediation/agreement", [Roles.Mediator, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/mediation/failure", [Roles.Mediator, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/settlement", [Roles.Mediator, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/follow-up", [Roles.Intake, Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/follow-up/not-reached", [Roles.Intake, Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/urge", [Roles.Manager, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/re-review", [Roles.Reviewer, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/close", [Roles.Dispatcher, Roles.Manager, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/withdraw", [Roles.Intake, Roles.Dispatcher, Roles.Service]),
        ("POST", $"/api/complaints/{Id}/archive", [Roles.Dispatcher, Roles.Admin, Roles.Service]),
        ("GET", "/api/re-reviews", [Roles.Reviewer, Roles.Dispatcher, Roles.Manager]),
        ("GET", "/api/analytics/satisfaction", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/analytics/cycle-times", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/reports/monthly/2021-02", [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor]),
        ("GET", "/api/admin/projections", [Roles.Admin]),
        ("POST", "/api/admin/projections/NoSuchProjection/rebuild", [Roles.Admin]),
        ("GET", "/api/admin/messaging", [Roles.Admin]),
        ("POST", "/api/admin/dead-letters/", [Roles.Admin]),
        ("POST", "/api/admin/dead-letters/replay", [Roles.Admin]),
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
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
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
            s.Post.Json(ComplaintsApi.NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.WithRequestHeader("X-User", "someone.else");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var id = Guid.Parse(ComplaintsApi.Text(ComplaintsApi.Json(result)["id"]));
        var history = await new ComplaintsApi(fixture.Host, "auditor.one").History(id);
        ComplaintsApi.Text(history[0]!["user"]).ShouldBe("intake.from.token");
    }
}

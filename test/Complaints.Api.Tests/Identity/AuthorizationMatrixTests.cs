using System.Net;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Identity;

/// <summary>
/// The role table of docs/identity-and-roles.md, route by route. Each role the table names for a route takes that step
/// on a real case in a state where it is allowed, and succeeds (2xx); every other role gets 403, and a request without
/// a token 401, both as problem details. The roles are written out here as the table gives them, not read from the
/// API's policies, so that a policy drifting from the table fails here. The acting user of each role is
/// "role.matrix"; the handler's cases are assigned to that same handler.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFixture fixture)
{
    private const string Intake = "intake", Dispatcher = "dispatcher", Handler = "handler", Reviewer = "reviewer", Manager = "manager",
        Mediator = "mediator", Analyst = "analyst", Auditor = "auditor", Service = "service", Admin = "admin";

    private static readonly string[] EveryRole = [Intake, Dispatcher, Handler, Reviewer, Manager, Mediator, Analyst, Auditor, Service, Admin];

    /// <summary>"read cases": every role that handles cases, the auditor, and other services.</summary>
    private static readonly string[] CaseReaders = [Intake, Dispatcher, Handler, Reviewer, Manager, Mediator, Auditor, Service];

    /// <summary>"analytics" (and the monthly report).</summary>
    private static readonly string[] AnalyticsReaders = [Dispatcher, Manager, Analyst, Auditor];

    /// <summary>A new case in a state where the given role may take the route's step.</summary>
    private delegate Task<Guid> CaseFor(Staff staff, string role);

    private static readonly CaseFor Received = (s, _) => s.Received();
    private static readonly CaseFor Accepted = (s, _) => s.Accepted();
    private static readonly CaseFor Assigned = (s, _) => s.Assigned();
    private static readonly CaseFor Investigating = (s, _) => s.Investigating();
    private static readonly CaseFor Resolved = (s, _) => s.Resolved();
    private static readonly CaseFor InMediation = (s, _) => s.InMediation();

    /// <summary>
    /// A route, the roles the table lets use it, the case it is tried on and its body. Reached: the answer that shows an
    /// allowed role got through where that is not a success (2xx).
    /// </summary>
    private sealed record Row(string Method, string Route, string[] Allowed, CaseFor? Case = null, Func<object>? Body = null,
        HttpStatusCode? Reached = null)
    {
        public string Key => $"{Method} {Route}";
    }

    private static Row Command(string action, string[] allowed, CaseFor state, Func<object>? body = null) =>
        new("POST", $"/api/complaints/{{id}}/{action}", allowed, state, body ?? (() => new { }));

    private static readonly Row[] Rows =
    [
        new("POST", "/api/complaints", [Intake, Service],
            Body: () => new { channel = "Phone", complainant = new { name = "Matrix Caller", phone = "13800000000" }, description = "The lift is out of order." }),
        Command("accept", [Dispatcher, Service], Received),
        Command("decline", [Dispatcher, Service], Received, () => new { reason = "out of scope", explanation = "A matter for the courts." }),
        Command("withdraw", [Intake, Dispatcher, Service], Received, () => new { reason = "sorted out" }),
        Command("triage", [Dispatcher, Service], Accepted, () => new { category = "Noise", severity = "Low", priority = "Normal" }),
        Command("assign", [Dispatcher, Service], Accepted, () => new { department = Staff.Department, handler = "handler.matrix" }),
        Command("return", [Handler, Service], Assigned, () => new { reason = "not ours" }),
        Command("first-response", [Handler, Service], Assigned, () => new { note = "on site" }),
        Command("evidence", [Handler, Service], Investigating, () => new { kind = "Photo", description = "stain on the ceiling" }),
        Command("findings", [Handler, Service], Investigating, () => new { substantiated = true, summary = "cracked pipe" }),
        Command("escalate", [Handler, Dispatcher, Service], Investigating, () => new { reason = "load-bearing wall" }),
        Command("expected-date", [Handler, Dispatcher, Service], Investigating,
            () => new { expectedBy = DateTimeOffset.UtcNow.AddDays(10), reason = "an engineer must inspect" }),
        Command("extend", [Dispatcher, Service], Assigned, () => new { dueAt = DateTimeOffset.UtcNow.AddDays(30), reason = "parts on order" }),
        Command("urge", [Manager, Service], Assigned, () => new { note = "call back today" }),
        // Intake resolves at first contact (accepted, never assigned), the manager a case reported to management, the
        // handler a case assigned to them.
        Command("resolve", [Handler, Intake, Manager, Service], (s, role) => role switch
            {
                Intake => s.Accepted(),
                Manager => s.Escalated(),
                _ => s.Investigating(),
            },
            () => new { remedy = "Repair", description = "pipe replaced", reply = "We replaced the pipe." }),
        Command("mediation", [Mediator, Service], Assigned, () => new { eligible = true, reason = "a dispute between neighbours" }),
        Command("mediation/agreement", [Mediator, Service], InMediation, () => new { terms = "the upstairs owner pays", copies = 3 }),
        Command("mediation/failure", [Mediator, Service], InMediation, () => new { referral = "Arbitration", reason = "no agreement" }),
        Command("settlement", [Mediator, Service], InMediation, () => new { terms = "they split the cost" }),
        Command("follow-up", [Intake, Dispatcher, Service], Resolved, () => new { satisfied = true, score = 5 }),
        Command("follow-up/not-reached", [Intake, Dispatcher, Service], Resolved, () => new { note = "no answer" }),
        Command("re-review", [Reviewer, Service], (s, _) => s.AwaitingReReview(), () => new { revisedPlan = "replace the pipe" }),
        Command("close", [Dispatcher, Manager, Service], Accepted, () => new { reason = "Referred", note = "to the district bureau" }),
        Command("archive", [Dispatcher, Admin, Service], (s, _) => s.Closed()),
        Command("erase-personal-data", [Admin], Received, () => new { legalBasis = "PIPL art. 47" }),
        Command("access-code", [Intake, Dispatcher, Service], Received),

        new("GET", "/api/complaints", CaseReaders),
        new("GET", "/api/complaints/{id}", CaseReaders, Received),
        new("GET", "/api/complaints/{id}/history", [Manager, Auditor], Received),
        new("GET", "/api/complaints/{id}/verify", [Manager, Auditor], Received),
        new("GET", "/api/re-reviews", [Dispatcher, Reviewer, Manager]),
        new("GET", "/api/analytics/satisfaction", AnalyticsReaders),
        new("GET", "/api/analytics/cycle-times", AnalyticsReaders),
        new("GET", "/api/reports/monthly/2021-02", AnalyticsReaders),
        new("GET", "/api/admin/projections", [Admin]),
        // Rebuilding the real analytics would pull the figures from under other tests: the answer naming the projections
        // that can be rebuilt shows the administrator got through.
        new("POST", "/api/admin/projections/NoSuchProjection/rebuild", [Admin], Body: () => new { }, Reached: HttpStatusCode.BadRequest),
        new("GET", "/api/admin/messaging", [Admin]),
        new("GET", "/api/admin/actions", [Auditor, Admin]),
        new("POST", "/api/admin/dead-letters", [Admin], Body: () => new { limit = 10 }),
        new("POST", "/api/admin/dead-letters/replay", [Admin], Body: () => new { ids = Array.Empty<Guid>() }),
        new("DELETE", "/api/admin/dead-letters", [Admin], Body: () => new { ids = Array.Empty<Guid>() }),
        new("GET", "/metrics", [Admin]),
    ];

    public static TheoryData<string> EveryRoute() => new(Rows.Select(r => r.Key));

    private async Task<IScenarioResult> Send(Row row, Guid? id, string? role)
    {
        var url = id is { } complaint ? row.Route.Replace("{id}", complaint.ToString()) : row.Route;
        return await fixture.Host.Scenario(s =>
        {
            switch (row.Method)
            {
                case "GET": s.Get.Url(url); break;
                case "DELETE": s.Delete.Json(row.Body!()).ToUrl(url); break;
                default: s.Post.Json(row.Body!()).ToUrl(url); break;
            }
            if (role is null) s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            else s.WithRequestHeader("Authorization", "Bearer " + fixture.Token(role + ".matrix", role));
            s.IgnoreStatusCode();
        });
    }

    [Theory]
    [MemberData(nameof(EveryRoute))]
    public async Task each_role_the_table_names_takes_the_step_and_every_other_role_is_refused(string route)
    {
        var row = Rows.Single(r => r.Key == route);
        var staff = new Staff(fixture.Host, handler: "handler.matrix");

        foreach (var role in row.Allowed)
        {
            var id = row.Case is null ? (Guid?)null : await row.Case(staff, role);
            var result = await Send(row, id, role);
            var status = (HttpStatusCode)result.Context.Response.StatusCode;
            var because = $"{role} {route}: {result.ReadAsText()}";
            if (row.Reached is { } reached) status.ShouldBe(reached, because);
            else ((int)status).ShouldBeInRange(200, 299, because);
        }

        // The others are refused on a case where the step could be taken; nothing they send reaches it.
        var target = row.Case is null ? (Guid?)null : await row.Case(staff, row.Allowed[0]);
        var version = target is { } before ? Int((await staff.Auditor.Get(before))["version"]) : 0;
        foreach (var role in EveryRole.Except(row.Allowed))
            Refusal(await Send(row, target, role), HttpStatusCode.Forbidden, $"{role} {route}");
        Refusal(await Send(row, target, null), HttpStatusCode.Unauthorized, $"no token {route}");
        if (target is { } after) Int((await staff.Auditor.Get(after))["version"]).ShouldBe(version, $"{route}: the refused recorded nothing");
    }

    private static void Refusal(IScenarioResult result, HttpStatusCode expected, string what)
    {
        ((HttpStatusCode)result.Context.Response.StatusCode).ShouldBe(expected, what);
        result.Context.Response.ContentType.ShouldBe("application/problem+json", what);
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_refused_everywhere()
    {
        var forged = new TokenSettings("complaints-development", "complaints-api", new string('x', 64))
            .Issue("mallory", EveryRole, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        foreach (var row in Rows)
        {
            var result = await fixture.Host.Scenario(s =>
            {
                var url = row.Route.Replace("{id}", Guid.NewGuid().ToString());
                if (row.Method == "GET") s.Get.Url(url);
                else if (row.Method == "DELETE") s.Delete.Json(row.Body!()).ToUrl(url);
                else s.Post.Json(row.Body!()).ToUrl(url);
                s.WithRequestHeader("Authorization", "Bearer " + forged);
                s.IgnoreStatusCode();
            });
            Refusal(result, HttpStatusCode.Unauthorized, $"forged {row.Key}");
        }
    }

    [Fact]
    public void the_matrix_names_every_route_the_api_maps_behind_a_token()
    {
        var mapped = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/") && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} /{e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/').Replace("{id:guid}", "{id}")}"))
            .ToHashSet();
        var listed = Rows.Select(r => r.Key.Replace("NoSuchProjection", "{name}").Replace("2021-02", "{month}")).ToHashSet();
        mapped.Except(listed).ShouldBeEmpty("routes without a row in the matrix");
        // Every role of the table is one the API knows.
        Roles.All.Order().ShouldBe(EveryRole.Order());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task health_and_the_api_description_need_no_token(string url) =>
        (await fixture.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode.ShouldBe(200, url);

    [Fact]
    public async Task the_acting_user_recorded_on_events_comes_from_the_token()
    {
        var token = fixture.Token("intake.from.token", Intake);
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(NewComplaint(receivedAt: DateTimeOffset.UtcNow)).ToUrl("/api/complaints");
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.WithRequestHeader(ApiFixture.UserHeader, "someone.else");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var id = Guid.Parse(Text(Json(result)["id"]));
        var history = await new ComplaintsApi(fixture.Host, "auditor.one").History(id);
        Text(history[0]!["user"]).ShouldBe("intake.from.token");
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Commanding;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

public sealed class BadInputTests(ApiFixture fixture, BadInputTests.ArchivedComplaint archived) : IClassFixture<BadInputTests.ArchivedComplaint>
{
    /// <summary>One archived complaint for the junk theory: it refuses every command, so whatever a body reaches, nothing is recorded.</summary>
    public sealed class ArchivedComplaint(ApiFixture fixture) : IAsyncLifetime
    {
        public Guid Id { get; private set; }

        public async ValueTask InitializeAsync()
        {
            var api = new ComplaintsApi(fixture.Host, Sender);
            Id = await api.ReceiveId();
            await api.Do(Id, "withdraw");
            await api.Do(Id, "archive");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Bad input is answered alike whoever sends it. Here it comes from a system that may give every command (the role
    /// service) and erase (admin), so that every body reaches the command it is posted to.
    /// </summary>
    public const string Sender = "service+admin.inputs";

    private readonly ComplaintsApi _api = new(fixture.Host, Sender);

    // ---- receiving a complaint ----

    [Theory]
    [InlineData("channel")]
    [InlineData("complainant")]
    [InlineData("description")]
    public async Task a_complaint_missing_a_required_field_is_refused_naming_the_field(string field)
    {
        var body = JsonNode.Parse(Serialize(NewComplaint()))!.AsObject();
        body.Remove(field);

        var problem = Problem(await _api.PostRaw("/api/complaints", body.ToJsonString()));
        problem["status"]!.GetValue<int>().ShouldBe(400);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe([field]);
    }

    [Theory]
    [InlineData("phone", 41)]
    [InlineData("email", 255)]
    [InlineData("name", 201)]
    [InlineData("address", 501)]
    public async Task a_complainants_contact_longer_than_its_limit_is_refused_naming_the_field(string field, int length)
    {
        var body = JsonNode.Parse(Serialize(NewComplaint()))!.AsObject();
        // Spaces are allowed in a phone number and a name: a long run of them is still too long.
        body["complainant"]![field] = field == "email" ? new string('a', length - 12) + "@example.com" : "1" + new string(' ', length - 2) + "2";

        var problem = Problem(await _api.PostRaw("/api/complaints", body.ToJsonString()));
        problem["status"]!.GetValue<int>().ShouldBe(400);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["complainant." + field]);
        problem["errors"]!["complainant." + field]!.ToString().ShouldContain("longer than");
    }

    [Fact]
    public async Task a_body_larger_than_the_api_takes_is_413_and_records_nothing()
    {
        var location = "Oversized " + Guid.NewGuid();
        var body = JsonNode.Parse(Serialize(NewComplaint()))!.AsObject();
        body["location"] = location;
        body["complainant"]!["phone"] = new string(' ', 300_000) + "13800138000";

        var problem = Problem(await _api.PostRaw("/api/complaints", body.ToJsonString()));
        problem["status"]!.GetValue<int>().ShouldBe(413);
        Text(problem["detail"]).ShouldContain("larger than 262144 bytes");
        (await TestSql.Scalar(fixture.ConnectionString,
            "select count(*) from complaints.mt_events where type = 'complaint_received' and data ->> 'location' = @location", ("location", location)))
            .ShouldBe(0L);
    }

    [Fact]
    public async Task an_unknown_channel_is_refused_with_the_channels_allowed()
    {
        // A body that cannot be read is refused by Wolverine.Http before the handler runs: its problem has a detail, no errors.
        var problem = await _api.ReceiveFails(NewComplaint(channel: "Fax"));
        Text(problem["detail"]).ShouldBe("'Fax' is not a Channel; use one of Phone, Email, Online, Letter, WalkIn");
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_refused_with_400()
    {
        var result = await _api.PostRaw("/api/complaints", """{ "channel": "Phone", "description": """);
        result.Context.Response.StatusCode.ShouldBe(400);
        Text(Problem(result)["detail"]).ShouldContain("JSON");
    }

    [Fact]
    public async Task an_invalid_email_is_refused_naming_the_complainants_email()
    {
        var problem = await _api.ReceiveFails(new
        {
            channel = "Email",
            complainant = new { name = "Zhang Wei", email = "zhang.wei at example" },
            description = "The lift has been out of order for a week.",
        });
        problem["errors"]!["complainant.email"]!.ToString().ShouldContain("not an email address");
    }

    // ---- commands on a complaint ----

    [Fact]
    public async Task a_command_on_an_unknown_complaint_is_404()
    {
        var id = Guid.NewGuid();
        var problem = await _api.Fails(id, "accept", null, HttpStatusCode.NotFound);
        Text(problem["detail"]).ShouldContain(id.ToString());
    }

    [Fact]
    public async Task a_transition_the_state_does_not_allow_is_409_naming_the_rule_and_the_state()
    {
        var id = await _api.ReceiveId();
        var problem = await _api.Fails(id, "follow-up", new { satisfied = true, score = 5 }, HttpStatusCode.Conflict);
        Text(problem["rule"]).ShouldBe("follow-up-not-allowed-when-received");
        Text(problem["detail"]).ShouldContain("complaint is Received");
        Text(problem["detail"]).ShouldContain("only a complaint that is Resolved can be followed up");
    }

    [Fact]
    public async Task a_malformed_if_match_is_refused_with_400()
    {
        var id = await _api.ReceiveId();
        var problem = await _api.Fails(id, "accept", null, HttpStatusCode.BadRequest, ifMatch: "abc");
        Text(problem["detail"]).ShouldContain("If-Match");
        Int((await _api.Get(id))["version"]).ShouldBe(1);
    }

    [Fact]
    public async Task commands_without_fields_may_be_posted_with_no_body_at_all()
    {
        var id = await _api.ReceiveId();
        foreach (var (action, status) in new[] { ("accept", "Accepted"), ("withdraw", "Closed"), ("archive", "Archived") })
        {
            var result = await _api.PostRaw($"/api/complaints/{id}/{action}", null);
            result.Context.Response.StatusCode.ShouldBe(200, action);
            Text(Json(result)["status"]).ShouldBe(status);
        }
    }

    [Fact]
    public async Task a_json_null_body_is_refused_with_400_not_500()
    {
        var id = await _api.ReceiveId();
        foreach (var url in new[] { "/api/complaints", $"/api/complaints/{id}/accept" })
        {
            var result = await _api.PostRaw(url, "null");
            result.Context.Response.StatusCode.ShouldBe(400, url);
            Text(Problem(result)["detail"]).ShouldContain("must be a JSON object");
        }
        Int((await _api.Get(id))["version"]).ShouldBe(1);
    }

    [Fact]
    public async Task an_enum_sent_as_a_number_is_refused_with_the_names_allowed()
    {
        var id = await _api.ReceiveId();
        await _api.Do(id, "accept");
        var problem = await _api.Fails(id, "triage", new { category = "Noise", severity = 1, priority = "Normal" }, HttpStatusCode.BadRequest);
        Text(problem["detail"]).ShouldBe("number is not a Severity; use one of Low, Medium, High, Critical");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task a_satisfaction_score_outside_one_to_five_is_refused(int score)
    {
        var id = await _api.ReceiveId();
        await _api.Do(id, "accept");
        await _api.Do(id, "resolve", new { remedy = "Explanation", description = "explained", reply = "Explained." });

        var problem = await _api.Fails(id, "follow-up", new { satisfied = true, score }, HttpStatusCode.BadRequest);
        problem["errors"]!["score"]!.ToString().ShouldContain("from 1 to 5");
        Text((await _api.Get(id))["status"]).ShouldBe("Resolved");
    }

    [Theory]
    [InlineData("GET", "/api/complaints/not-a-guid")]
    [InlineData("GET", "/api/complaints/not-a-guid/history")]
    [InlineData("POST", "/api/complaints/not-a-guid/accept")]
    public async Task an_id_that_is_not_a_guid_is_404(string method, string url)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else s.Post.Json(new { }).ToUrl(url);
            // One who may read the history, too.
            s.WithRequestHeader("X-User", method == "GET" ? "auditor.inputs" : Sender);
            s.IgnoreStatusCode();
        });
        result.Context.Response.StatusCode.ShouldBe(404);
        Problem(result);
    }

    // ---- what the malformed requests once turned into 500s ----

    [Theory]
    [InlineData("accept")]
    [InlineData("resolve")]
    [InlineData("erase-personal-data")]
    public async Task a_command_on_the_all_zero_id_is_404_not_500(string action)
    {
        var result = await _api.PostRaw($"/api/complaints/{Guid.Empty}/{action}", "{}");
        result.Context.Response.StatusCode.ShouldBe(404, result.ReadAsText());
        Text(Problem(result)["detail"]).ShouldBe($"There is no complaint {Guid.Empty}.");
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("UTF-7")]
    [InlineData("csUnicode11UTF7")]
    [InlineData("klingon")]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("utf8")]
    [InlineData("utf-16")]
    public async Task a_body_in_a_charset_other_than_utf8_is_415_and_records_nothing(string charset)
    {
        var id = await _api.ReceiveId();
        foreach (var url in new[] { $"/api/complaints/{id}/accept", "/api/complaints" })
        {
            var result = await PostJson(url, Serialize(url.EndsWith("accept") ? new { note = "in scope" } : NewComplaint()),
                $"application/json; charset={charset}");
            result.Context.Response.StatusCode.ShouldBe(415, result.ReadAsText());
            Text(Problem(result)["detail"]).ShouldContain("UTF-8");
        }
        Int((await _api.Get(id))["version"]).ShouldBe(1);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task a_body_declared_as_utf8_is_read_however_the_charset_is_spelled(string contentType)
    {
        var id = await _api.ReceiveId();
        var result = await PostJson($"/api/complaints/{id}/accept", """{ "note": "楼上漏水" }""", contentType);
        result.Context.Response.StatusCode.ShouldBe(200, result.ReadAsText());
        Text(Json(result)["status"]).ShouldBe("Accepted");
    }

    [Theory]
    [InlineData("相关-1")]
    [InlineData("a\u0001b")]
    [InlineData("caf\u00e9")]
    public async Task a_correlation_id_that_is_not_printable_ascii_is_refused_since_it_could_not_be_echoed(string correlation)
    {
        var id = await _api.ReceiveId();
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(new { note = "in scope" }).ToUrl($"/api/complaints/{id}/accept");
            s.WithRequestHeader("X-User", Sender);
            s.WithRequestHeader("X-Correlation-Id", correlation);
            s.IgnoreStatusCode();
        });
        result.Context.Response.StatusCode.ShouldBe(400);
        Text(Problem(result)["detail"]).ShouldContain("printable ASCII");
        result.Context.Response.Headers.ShouldNotContainKey("X-Correlation-Id");
        Int((await _api.Get(id))["version"]).ShouldBe(1);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task a_refusal_is_problem_details_whatever_the_accept_header_asks_for(string accept)
    {
        // Refusals from each place that answers one: the command path, an endpoint, routing, and authentication.
        (string Method, string Url, int Status, bool Token)[] refusals =
        [
            ("POST", $"/api/complaints/{Guid.NewGuid()}/accept", 404, true),
            ("POST", "/api/track/C-2026-000001", 400, false),
            ("DELETE", "/api/complaints", 405, true),
            ("GET", "/api/complaints", 401, false),
        ];
        foreach (var (method, url, status, token) in refusals)
        {
            var result = await fixture.Host.Scenario(s =>
            {
                if (method == "POST") s.Post.Json(new { }).ToUrl(url);
                else if (method == "DELETE") s.Delete.Url(url);
                else s.Get.Url(url);
                s.WithRequestHeader("Accept", accept);
                s.WithRequestHeader(token ? ApiFixture.UserHeader : ApiFixture.AnonymousHeader, token ? Sender : "true");
                s.IgnoreStatusCode();
            });
            result.Context.Response.StatusCode.ShouldBe(status, $"{method} {url}");
            Int(Problem(result)["status"]).ShouldBe(status);
        }
    }

    private Task<IScenarioResult> PostJson(string url, string json, string contentType) => fixture.Host.Scenario(s =>
    {
        s.Post.RawJson(json).ToUrl(url);
        s.ConfigureHttpContext(http => http.Request.ContentType = contentType);
        s.WithRequestHeader("X-User", Sender);
        s.IgnoreStatusCode();
    });

    // ---- junk on every command route ----

    private static readonly string[] Actions =
    [
        "accept", "decline", "triage", "assign", "return", "first-response", "evidence", "findings", "escalate", "expected-date",
        "extend", "urge", "resolve", "mediation", "mediation/agreement", "mediation/failure", "settlement", "follow-up",
        "follow-up/not-reached", "re-review", "withdraw", "close", "archive", "erase-personal-data",
    ];

    private static readonly string[] JunkBodies =
    [
        "[]", "\"x\"", "null", "42", """{"at":"not a date"}""", """{"amount":"ten"}""", """{"score":"five","copies":1.5,"eligible":"yes"}""",
    ];

    public static readonly MatrixTheoryData<string, string> JunkOnEveryAction = new(Actions, JunkBodies);

    [Theory]
    [MemberData(nameof(JunkOnEveryAction))]
    public async Task junk_posted_to_any_command_is_answered_with_a_problem_and_never_a_500(string action, string junk)
    {
        foreach (var id in new[] { archived.Id, Guid.NewGuid() })
        {
            var result = await _api.PostRaw($"/api/complaints/{id}/{action}", junk);
            result.Context.Response.StatusCode.ShouldBeOneOf([400, 404, 409], $"{action} {junk}: {result.ReadAsText()}");
            Problem(result);
        }
        Int((await _api.Get(archived.Id))["version"]).ShouldBe(4);
    }

    [Fact]
    public void the_junk_theory_covers_every_command_route_the_api_maps()
    {
        var mapped = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(route => route.StartsWith("/api/complaints/{id:guid}/"))
            .Select(route => route["/api/complaints/{id:guid}/".Length..]);
        // Issuing an access code reads no body: there is nothing in one to be junk.
        mapped.Order().ShouldBe(Actions.Append(CommandCatalog.IssueAccessCode.Action).Order());
    }
}

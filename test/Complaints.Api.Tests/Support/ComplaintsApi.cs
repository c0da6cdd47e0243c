using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Shouldly;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// A small client over the HTTP contract, so that scenarios read as the steps a case worker takes. Every request is the
/// user's, with the roles their name gives them (<see cref="TestIdentities"/>): "handler.li" may do what a handler may.
/// </summary>
public sealed class ComplaintsApi(IAlbaHost host, string user)
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The acting user, whose name says their role.</summary>
    public string User => user;

    public ComplaintsApi As(string otherUser) => new(host, otherUser);

    public static object NewComplaint(string name = "Zhang Wei", string phone = "13800138000", DateTimeOffset? receivedAt = null,
        string? category = null, string channel = "Phone") => new
    {
        channel,
        complainant = new { name, phone, email = "zhang.wei@example.cn", address = "Block 3, Unit 502" },
        description = "Water leaks from the ceiling of the bathroom whenever the flat above runs a bath.",
        location = "Riverside Gardens, Block 3",
        category,
        remedySought = "Repair the pipe and repaint the ceiling",
        receivedAt = receivedAt ?? Start,
    };

    public async Task<JsonObject> Receive(object? body = null, string? idempotencyKey = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(body ?? NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader("X-User", user);
            if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var acknowledgement = Json(result);
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/complaints/{acknowledgement["id"]}");
        return acknowledgement;
    }

    public async Task<Guid> ReceiveId(object? body = null) => Guid.Parse((string)(await Receive(body))["id"]!);

    /// <summary>Posts a command and expects 200 with the new details, whose ETag is their version.</summary>
    public async Task<JsonObject> Do(Guid id, string action, object? body = null, string? ifMatch = null)
    {
        var result = await Post(id, action, body, HttpStatusCode.OK, ifMatch);
        var details = Json(result);
        result.Context.Response.Headers.ETag.ToString().ShouldBe($"\"{details["version"]}\"");
        return details;
    }

    /// <summary>Posts a command expected to fail, and returns its problem details.</summary>
    public async Task<JsonObject> Fails(Guid id, string action, object? body, HttpStatusCode status, string? ifMatch = null) =>
        Problem(await Post(id, action, body, status, ifMatch));

    /// <summary>Posts a complaint expected to be refused, and returns its problem details.</summary>
    public async Task<JsonObject> ReceiveFails(object body, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Problem(await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/complaints");
            s.WithRequestHeader("X-User", user);
            s.StatusCodeShouldBe(status);
        }));

    /// <summary>Posts a body exactly as given (raw JSON, or no body at all when null), whatever the answer.</summary>
    public async Task<IScenarioResult> PostRaw(string url, string? json) => await host.Scenario(s =>
    {
        if (json is null)
        {
            s.Post.Url(url);
            // As the server marks a request that came with neither a length nor chunks: one that cannot have a body.
            s.ConfigureHttpContext(http => http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>(NoBody.Instance));
        }
        else s.Post.RawJson(json).ToUrl(url);
        s.WithRequestHeader("X-User", user);
        s.IgnoreStatusCode();
    });

    /// <summary>The problem details of a refusal, checking that it is sent as one.</summary>
    public static JsonObject Problem(IScenarioResult result)
    {
        result.Context.Response.ContentType.ShouldBe("application/problem+json");
        return Json(result);
    }

    public async Task<IScenarioResult> Post(Guid id, string action, object? body, HttpStatusCode status, string? ifMatch = null,
        string? idempotencyKey = null) =>
        await host.Scenario(s =>
        {
            s.Post.Json(body ?? new { }).ToUrl($"/api/complaints/{id}/{action}");
            s.WithRequestHeader("X-User", user);
            if (ifMatch is not null) s.WithRequestHeader("If-Match", ifMatch);
            if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
            s.StatusCodeShouldBe(status);
        });

    public async Task<JsonObject> Get(Guid id) => Json(await host.Scenario(s =>
    {
        s.Get.Url($"/api/complaints/{id}");
        s.WithRequestHeader("X-User", user);
        s.StatusCodeShouldBeOk();
    }));

    public async Task<JsonArray> History(Guid id) => JsonNode.Parse(await (await host.Scenario(s =>
    {
        s.Get.Url($"/api/complaints/{id}/history");
        s.WithRequestHeader("X-User", user);
        s.StatusCodeShouldBeOk();
    })).ReadAsTextAsync())!.AsArray();

    public static JsonObject Json(IScenarioResult result) => JsonNode.Parse(result.ReadAsText())!.AsObject();

    /// <summary>The times of a case's steps, an hour apart, so that history keeps a known order.</summary>
    public static string At(double hours) => Start.AddHours(hours).ToString("O");

    public static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    public static int Int(JsonNode? node) => node!.GetValue<int>();

    public static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(Text(node));

    /// <summary>The event types of a history, in order.</summary>
    public static string[] Types(JsonArray history) => history.Select(e => Text(e!["type"])).ToArray();

    public static string Serialize(object value) => JsonSerializer.Serialize(value);

    private sealed class NoBody : Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature
    {
        public static readonly NoBody Instance = new();

        public bool CanHaveBody => false;
    }
}

using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>The OpenAPI document as the running API serves it, to anyone.</summary>
public static class LiveDocument
{
    public const string Path = "/openapi/v1.json";

    public static async Task<string> Text(IAlbaHost host)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(Path);
            s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            s.StatusCodeShouldBeOk();
        });
        return result.ReadAsText();
    }

    public static async Task<JsonObject> Json(IAlbaHost host) => JsonNode.Parse(await Text(host))!.AsObject();

    /// <summary>Every operation: its method, its path and the operation itself.</summary>
    public static IEnumerable<(string Method, string Path, JsonObject Operation)> OperationsOf(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject());

    public static JsonObject Operation(JsonObject document, string operationId) =>
        OperationsOf(document).SingleOrDefault(o => (string?)o.Operation["operationId"] == operationId).Operation
        ?? throw new ShouldAssertException($"the document has no operation {operationId}");

    public static JsonObject Schema(JsonObject document, string name) =>
        document["components"]!["schemas"]![name]?.AsObject() ?? throw new ShouldAssertException($"the document has no schema {name}");

    /// <summary>The names in a schema's or a response's list (required, enum…), as strings.</summary>
    public static string[] Strings(JsonNode? list) => list?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
}

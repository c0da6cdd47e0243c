using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Complaints.Api.Tests.Contract;

/// <summary>An operation as the API's OpenAPI document describes it; Anonymous when its endpoint needs no token.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonObject? Body, bool Anonymous)
{
    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    public override string ToString() => $"{Method} {Path}";
}

public sealed record ApiParameter(string Name, string In, JsonObject Schema, bool Required);

/// <summary>The live OpenAPI document, read into operations with their parameters and request body schemas.</summary>
public sealed partial class ApiDescription(JsonObject document)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public IReadOnlyList<ApiOperation> Operations(EndpointDataSource endpoints)
    {
        var anonymous = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Template(e.RoutePattern.RawText)}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            var shared = item?["parameters"]?.AsArray() ?? [];
            foreach (var method in Methods)
            {
                if (item?[method] is not JsonObject operation) continue;
                var parameters = shared.Concat(operation["parameters"]?.AsArray() ?? []).OfType<JsonObject>().Select(Resolve).OfType<JsonObject>()
                    .Select(p => new ApiParameter((string)p["name"]!, (string)p["in"]!, Resolve(p["schema"]) ?? [], p["required"]?.GetValue<bool>() == true))
                    .ToList();
                var content = operation["requestBody"]?["content"]?.AsObject();
                var body = content?.FirstOrDefault(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)).Value?["schema"];
                var upper = method.ToUpperInvariant();
                operations.Add(new ApiOperation(upper, path, parameters, Resolve(body), anonymous.Contains($"{upper} {Template(path)}")));
            }
        }
        return operations;
    }

    /// <summary>A schema or parameter with its $ref followed (to components in this document).</summary>
    public JsonObject? Resolve(JsonNode? node)
    {
        for (var hops = 0; node is JsonObject { } obj && obj["$ref"] is JsonValue reference && hops < 20; hops++)
            node = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)document, (at, part) => at?[part.Replace("~1", "/").Replace("~0", "~")]);
        return node as JsonObject;
    }

    /// <summary>The name of the component a schema refers to, if it is a reference.</summary>
    public static string? ReferenceName(JsonNode? schema) =>
        schema is JsonObject obj && obj["$ref"] is JsonValue reference ? ((string)reference!).Split('/')[^1] : null;

    /// <summary>A route as the document writes it: "/api/complaints/{id}", without constraints or a trailing slash.</summary>
    private static string Template(string? route) =>
        "/" + Constraint().Replace(route ?? "", "{$1}").Trim('/');

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex Constraint();
}

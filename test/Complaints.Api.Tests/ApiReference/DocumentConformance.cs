using System.Text.RegularExpressions;
using NSwag;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>
/// Checks every exchange that passes through it against the OpenAPI document, as a validating proxy would: the request
/// body against its schema; the answer's status, media type and the API's own headers documented for the operation; the
/// answer's body against its schema. What does not conform is noted in <see cref="Findings"/>.
/// </summary>
public sealed class DocumentConformance(OpenApiDocument document) : DelegatingHandler
{
    /// <summary>The headers the API's conventions send; the document must describe each where it is sent.</summary>
    private static readonly string[] ConventionHeaders = ["ETag", "Location", "Idempotent-Replayed", "Retry-After", "X-Correlation-Id", "Age"];

    private readonly List<(string Method, Regex Path, string Template, OpenApiOperation Operation)> _operations =
        [.. from path in document.Paths
            from operation in path.Value
            select (operation.Key.ToUpperInvariant(), new Regex("^" + Regex.Replace(path.Key, "{[^}]+}", "[^/]+") + "$"), path.Key, operation.Value)];

    public List<string> Findings { get; } = [];

    public int Exchanges { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Exchanges++;
        var path = request.RequestUri!.AbsolutePath;
        var found = _operations.SingleOrDefault(o => o.Method == request.Method.Method && o.Path.IsMatch(path));
        if (found.Operation is null)
        {
            Findings.Add($"{request.Method} {path}: not in the document");
            return await base.SendAsync(request, ct);
        }
        var (_, _, template, operation) = found;
        var exchange = $"{request.Method} {template}";

        if (request.Content is not null && operation.ActualRequestBody?.Content is { } accepted
            && accepted.TryGetValue("application/json", out var json) && json.Schema is { } requestSchema)
            Validate(requestSchema, await request.Content.ReadAsStringAsync(ct), $"{exchange} request");

        var response = await base.SendAsync(request, ct);
        var status = ((int)response.StatusCode).ToString();
        if (!operation.ActualResponses.TryGetValue(status, out var documented))
        {
            Findings.Add($"{exchange}: answered {status}, which the document does not list");
            return response;
        }
        foreach (var header in ConventionHeaders.Where(h => response.Headers.NonValidated.Contains(h) || response.Content.Headers.NonValidated.Contains(h)))
            if (!documented.Headers.ContainsKey(header))
                Findings.Add($"{exchange} {status}: sends {header}, which the document does not describe there");

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync(ct);
        if (body.Length == 0) return response;
        if (mediaType is null || !documented.Content.TryGetValue(mediaType, out var content))
            Findings.Add($"{exchange} {status}: answered {mediaType}, which the document does not list");
        else if (content.Schema is { } schema)
            Validate(schema, body, $"{exchange} {status}");
        return response;
    }

    private void Validate(NJsonSchema.JsonSchema schema, string json, string what)
    {
        foreach (var error in schema.ActualSchema.Validate(json))
            Findings.Add($"{what}: {error}");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Complaints.Api.Identity;

namespace Complaints.Api.Tests.Contract;

/// <summary>One request as it goes over the wire, and the ways it was made malformed.</summary>
public sealed class MalformedRequest
{
    public required int Number { get; init; }
    public required ApiOperation Operation { get; init; }
    public required string Method { get; set; }
    public Dictionary<string, string> PathValues { get; } = new(StringComparer.Ordinal);
    /// <summary>Query pairs as sent: names and values already percent-encoded (or deliberately not).</summary>
    public List<(string Name, string Value)> Query { get; } = [];
    public List<(string Name, string Value)> Headers { get; } = [];
    /// <summary>The body as JSON; setting it drops raw bytes set before, so that the last change is the one sent.</summary>
    public JsonNode? Json
    {
        get => _json;
        set { _json = value; RawBody = null; }
    }

    private JsonNode? _json;

    /// <summary>The body's bytes when they are not simply the JSON above (not JSON at all, another encoding, ...).</summary>
    public byte[]? RawBody { get; set; }
    public bool NoBody { get; set; }
    public List<string> Mutations { get; } = [];
    /// <summary>The Authorization header is forged, broken or missing: only 401 will do.</summary>
    public bool BadToken { get; set; }

    public string Path => PathValues.Aggregate(Operation.Path, (path, p) => path.Replace("{" + p.Key + "}", p.Value));

    public string QueryString => Query.Count == 0 ? "" : "?" + string.Join('&', Query.Select(q => q.Value is null ? q.Name : $"{q.Name}={q.Value}"));

    public byte[]? Body => NoBody ? null : RawBody ?? (Json is null ? null : Encoding.UTF8.GetBytes(MalformedRequests.Serialize(Json)));

    public string? Header(string name) => Headers.LastOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public void SetHeader(string name, string? value)
    {
        Headers.RemoveAll(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (value is not null) Headers.Add((name, value));
    }

    /// <summary>What was sent, short enough for a failure message and complete enough to send it again by hand.</summary>
    public override string ToString()
    {
        var body = Body;
        var text = body is null ? "(none)" : Clip(Encoding.UTF8.GetString(body), 300) + $" ({body.Length} bytes)";
        var headers = string.Join("; ", Headers.Select(h => $"{h.Name}: {Clip(h.Value, 80)}"));
        return $"#{Number} [{string.Join(", ", Mutations)}] {Method} {Clip(Path + QueryString, 300)}\n    headers: {headers}\n    body: {text}";
    }

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + $"…(+{text.Length - length})";
}

/// <summary>
/// Malformed requests made from the API's OpenAPI document: each operation's request made well-formed first (a valid
/// token, path values naming real complaints, a body built from the schema), then broken in one way that must be
/// refused and perhaps odd in a few more: wrong types, missing and unknown fields, hostile strings, huge and deeply
/// nested bodies, odd ids, charsets, headers and query values, forged or altered tokens. A fifth of the requests with
/// a body are only odd (hostile strings, unknown fields, odd ids and headers), and may be taken. The same seed makes
/// the same requests.
/// </summary>
public sealed class MalformedRequests(ApiDescription description, IReadOnlyList<ApiOperation> operations, MalformedRequests.Targets targets,
    ForgedTokens tokens, int seed)
{
    /// <summary>What the requests aim at: complaints in every state, their tracking numbers, and values the document cannot give.</summary>
    public sealed record Targets(IReadOnlyList<Guid> Complaints, IReadOnlyList<string> TrackingNumbers, IReadOnlyDictionary<string, string[]> ValidValues);

    private readonly Random _random = new(seed);
    private readonly string[] _idempotencyKeys = Enumerable.Range(0, 40).Select(i => $"fuzz-key-{seed}-{i}").ToArray();

    /// <summary>A way to break a request; Refused when the request cannot be taken after it; Weight, how often it is picked.</summary>
    private sealed record Mutation(string Name, bool Refused, Func<MalformedRequest, bool> Applies, Action<MalformedRequest> Apply, double Weight = 1);

    public MalformedRequest Next(int number)
    {
        var operation = operations[_random.Next(operations.Count)];
        var request = WellFormed(number, operation);
        var applicable = Catalog.Where(m => m.Applies(request)).ToList();
        var odd = applicable.Where(m => !m.Refused).ToList();
        if (operation.Body is not null && _random.NextDouble() < 0.2 && odd.Count > 0)
        {
            // Odd only: hostile but well-typed strings and the like must be stored and answered safely, if taken.
            foreach (var mutation in Pick(odd, _random.Next(1, 4))) Apply(mutation, request);
        }
        else
        {
            // The odd ones first, so that none of them undoes the one that must be refused.
            var refused = Pick(applicable.Where(m => m.Refused).ToList(), 1).Single();
            foreach (var mutation in Pick(applicable, _random.Next(0, 3))) Apply(mutation, request);
            Apply(refused, request);
        }
        return request;
    }

    private static void Apply(Mutation mutation, MalformedRequest request)
    {
        if (!mutation.Applies(request)) return; // an earlier one took away what it breaks
        request.Mutations.Add(mutation.Name);
        mutation.Apply(request);
    }

    private IEnumerable<Mutation> Pick(List<Mutation> from, int count)
    {
        var total = from.Sum(m => m.Weight);
        for (var i = 0; i < Math.Min(count, from.Count); i++)
        {
            var at = _random.NextDouble() * total;
            yield return from.First(m => (at -= m.Weight) < 0 || m == from[^1]);
        }
    }

    // ---- the well-formed request ----

    private MalformedRequest WellFormed(int number, ApiOperation operation)
    {
        var request = new MalformedRequest { Number = number, Operation = operation, Method = operation.Method };
        foreach (var parameter in operation.In("path"))
            request.PathValues[parameter.Name] = Uri.EscapeDataString(ValidText(parameter.Name, parameter.Schema));
        foreach (var parameter in operation.In("query").Where(p => p.Required || _random.NextDouble() < 0.3))
            request.Query.Add((parameter.Name, Uri.EscapeDataString(ValidText(parameter.Name, parameter.Schema))));
        if (!operation.Anonymous) request.SetHeader("Authorization", "Bearer " + tokens.Valid());
        request.SetHeader("X-Correlation-Id", $"fuzz-{seed}-{number}");
        if (operation.Body is not null)
        {
            request.SetHeader("Content-Type", "application/json");
            request.Json = Valid(operation.Body, "body", 0);
        }
        return request;
    }

    /// <summary>A value the schema allows, with the values the document cannot say (states, names) taken from the targets.</summary>
    private JsonNode? Valid(JsonObject? schema, string name, int depth)
    {
        if (EnumNames(ApiDescription.ReferenceName(schema)) is { } names && description.Resolve(schema)?["enum"] is null)
            return JsonValue.Create(names[_random.Next(names.Length)]);
        schema = description.Resolve(schema);
        if (schema is null) return Text(name);
        if (Alternatives(schema) is { Count: > 0 } alternatives)
        {
            var chosen = alternatives.Where(a => !IsNull(a)).ToList();
            return chosen.Count == 0 ? null : Valid(chosen[_random.Next(chosen.Count)], name, depth);
        }
        if (schema["enum"] is JsonArray values && values.Where(v => v is not null).ToList() is { Count: > 0 } named)
            return named[_random.Next(named.Count)]!.DeepClone();
        switch (Types(schema).FirstOrDefault(t => t != "null"))
        {
            case "object" when depth < 6:
                var result = new JsonObject();
                var required = Required(schema);
                foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? [])
                    if (required.Contains(property) || _random.NextDouble() < 0.5)
                        result[property] = Valid(propertySchema as JsonObject, property, depth + 1);
                return result;
            case "array" when depth < 6:
                return new JsonArray(Enumerable.Range(0, _random.Next(0, 3)).Select(_ => Valid(schema["items"] as JsonObject, name, depth + 1)).ToArray());
            case "integer" or "number":
                var minimum = schema["minimum"]?.GetValue<double>() ?? 1;
                return JsonValue.Create((long)minimum + _random.Next(0, 5));
            case "boolean":
                return JsonValue.Create(_random.Next(2) == 0);
            default:
                return JsonValue.Create(ValidText(name, schema));
        }
    }

    private string ValidText(string name, JsonObject schema)
    {
        if (targets.ValidValues.TryGetValue(name, out var known)) return known[_random.Next(known.Length)];
        var format = (string?)schema["format"];
        if (format == "uuid") return Complaint().ToString();
        if (format == "date-time") return Time(name).ToString("O");
        if (schema["enum"] is JsonArray values && values.OfType<JsonValue>().Select(v => v.ToString()).ToList() is { Count: > 0 } named)
            return named[_random.Next(named.Count)];
        return Text(name);
    }

    /// <summary>The names of the domain's enum a schema component is named after, where the document lists none.</summary>
    private static string[]? EnumNames(string? component) => component is null ? null : DomainEnums.GetValueOrDefault(component);

    private static readonly Dictionary<string, string[]> DomainEnums = typeof(Domain.ComplaintCommand).Assembly.GetTypes()
        .Where(t => t.IsEnum).GroupBy(t => t.Name).ToDictionary(g => g.Key, g => Enum.GetNames(g.First()));

    private Guid Complaint() => targets.Complaints[_random.Next(targets.Complaints.Count)];

    private static DateTimeOffset Time(string name) =>
        name.EndsWith("dueAt", StringComparison.OrdinalIgnoreCase) || name.EndsWith("By", StringComparison.Ordinal)
            ? DateTimeOffset.UtcNow.AddDays(7)
            : DateTimeOffset.UtcNow.AddSeconds(-1);

    private string Text(string name) => $"{name} {Words[_random.Next(Words.Length)]}";

    private static readonly string[] Words = ["as reported by phone", "see the attached photo", "楼上漏水", "on site at 10:00", "per the routing table"];

    // ---- the catalog of ways to break a request ----

    private IReadOnlyList<Mutation> Catalog => _catalog ??=
    [
        new("token", true, r => !r.Operation.Anonymous, BreakToken, Weight: 0.7),
        // A wrong method is refused by routing alone: less of it, more of what reaches the endpoints.
        new("method", true, r => OtherMethods(r.Operation).Any(), r => r.Method = Choose(OtherMethods(r.Operation).ToArray()), Weight: 0.3),
        new("path-value", true, r => r.Operation.In("path").Any(), BreakPathValue),
        new("not-json", true, HasBody, r => r.RawBody = Encoding.UTF8.GetBytes(NotJson(r))),
        new("top-level", true, HasBody, r => r.Json = Choose(TopLevels)()),
        new("deep", true, HasBody, r => Replace(r, Deep(_random.Next(65, 20_000)))),
        new("wrong-type", true, r => TypedFields(r).Any(), WrongType),
        new("invalid-utf8", true, HasBody, r => r.RawBody = InvalidUtf8(r)),
        new("charset", true, HasBody, r => r.SetHeader("Content-Type", "application/json; charset=" + Choose(UnsupportedCharsets))),
        new("media-type", true, HasBody, r => r.SetHeader("Content-Type", Choose(OtherMediaTypes))),
        new("query-type", true, r => NumericQuery(r.Operation).Any(), r => SetQuery(r, Choose(NumericQuery(r.Operation).ToArray()).Name, Choose(NotNumbers))),
        new("huge", false, HasBody, Huge),
        new("missing-fields", false, r => r.Json is JsonObject { Count: > 0 }, MissingFields),
        new("unknown-fields", false, r => r.Json is JsonObject, UnknownFields),
        new("hostile-string", false, r => StringFields(r).Any(), r => Set(r, Choose(StringFields(r).ToArray()), JsonValue.Create(Choose(Hostile)))),
        new("odd-number", false, r => NumberFields(r).Any(), r => Set(r, Choose(NumberFields(r).ToArray()), JsonNode.Parse(Choose(OddNumbers)))),
        new("odd-date", false, r => DateFields(r).Any(), r => Set(r, Choose(DateFields(r).ToArray()), JsonValue.Create(Choose(OddDates)))),
        new("lone-surrogate", false, r => StringFields(r).Any(), r => Set(r, Choose(StringFields(r).ToArray()), JsonValue.Create(LoneSurrogate))),
        new("duplicate-keys", false, r => r.Json is JsonObject { Count: > 0 }, r => r.RawBody = DuplicateKeys((JsonObject)r.Json!)),
        new("empty-body", false, HasBody, r => r.RawBody = []),
        new("odd-charset", false, HasBody, r => r.SetHeader("Content-Type", Choose(OddJsonMediaTypes))),
        new("odd-id", false, r => r.Operation.In("path").Any(p => (string?)p.Schema["format"] == "uuid"), OddId),
        new("odd-query", false, r => true, OddQuery),
        new("odd-header", false, r => true, OddHeader),
        new("one-role", false, r => !r.Operation.Anonymous, OneRole),
    ];

    private IReadOnlyList<Mutation>? _catalog;

    private static bool HasBody(MalformedRequest r) => r.Operation.Body is not null;

    private T Choose<T>(IReadOnlyList<T> from) => from[_random.Next(from.Count)];

    private void BreakToken(MalformedRequest request)
    {
        var kind = Choose(ForgedTokens.Kinds);
        request.Mutations.Add("token:" + kind);
        request.BadToken = true;
        request.SetHeader("Authorization", tokens.Header(kind, _random));
        // In the test host a request without a token would be given one; marked so, it goes without.
        if (kind == "missing") request.SetHeader(Support.TestIdentities.AnonymousHeader, "true");
    }

    private void OneRole(MalformedRequest request)
    {
        request.SetHeader("Authorization", "Bearer " + tokens.OneRole(Choose(Roles.All)));
        request.SetHeader(Support.TestIdentities.AnonymousHeader, null);
        request.BadToken = false;
    }

    private IEnumerable<string> OtherMethods(ApiOperation operation) =>
        new[] { "GET", "POST", "PUT", "DELETE", "PATCH" }.Except(operations.Where(o => o.Path == operation.Path).Select(o => o.Method));

    // No %00 in a path: the server refuses it before the API sees it.
    private void BreakPathValue(MalformedRequest request)
    {
        var parameter = Choose(request.Operation.In("path").ToArray());
        request.PathValues[parameter.Name] = (string?)parameter.Schema["format"] == "uuid"
            ? Choose([Guid.Empty.ToString(), Guid.NewGuid().ToString(), "ffffffff-ffff-ffff-ffff-ffffffffffff", "not-a-guid", "0", "-1",
                "..", "%2e%2e", "00000000-0000-0000-0000-00000000000g", Complaint() + "x", new string('9', 5_000), "%zz", "%F0%9F%98%80"])
            : Choose(["..", "%zz", "-1", "0000-00", "2026-13", "9999-99", "2026-3", "20260301", "%F0%9F%98%80", "%E6%A5%BC",
                new string('x', 5_000), Uri.EscapeDataString(Choose(Hostile.Where(h => !h.Contains('\0')).ToArray()))]);
    }

    private void OddId(MalformedRequest request)
    {
        var id = Complaint();
        var parameter = request.Operation.In("path").First(p => (string?)p.Schema["format"] == "uuid");
        request.PathValues[parameter.Name] = Choose([Guid.Empty.ToString(), Guid.NewGuid().ToString(), id.ToString().ToUpperInvariant(), id.ToString("N"),
            Uri.EscapeDataString(id.ToString("B")), id + "%20", "%20" + id, Guid.Empty.ToString("N")]);
    }

    // ---- bodies ----

    private static readonly Func<JsonNode?>[] TopLevels =
        [() => new JsonArray(), () => JsonValue.Create("x"), () => JsonValue.Create(42), () => JsonValue.Create(true), () => null, () => new JsonArray(new JsonObject())];

    private string NotJson(MalformedRequest request)
    {
        var json = request.Json is null ? "{}" : Serialize(request.Json);
        return Choose<Func<string>>([
            () => json[..Math.Max(1, json.Length / 2)],
            () => json + "}",
            () => json + " trailing",
            () => json.Replace('"', '\''),
            () => "/* comment */ " + json,
            () => json.Length > 2 ? json[..^1] + ",}" : "{,}",
            () => """{"note": NaN}""",
            () => json + json,
            () => "   ",
            () => "\u0000",
            () => "<complaint><note>x</note></complaint>",
            () => "note=x&score=5",
            () => "{\"note\": \"unterminated",
            () => "{\"note\": \"bad \\escape\"}",
            () => "{\"note\" \"x\"}",
        ])();
    }

    private static string Deep(int depth) =>
        depth % 2 == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>Puts raw JSON text in place of a field (or of the whole body).</summary>
    private void Replace(MalformedRequest request, string rawJson)
    {
        var fields = AllFields(request).ToList();
        if (fields.Count == 0 || _random.Next(3) == 0) { request.RawBody = Encoding.UTF8.GetBytes(rawJson); return; }
        const string marker = "\"__replaced__\"";
        Set(request, Choose(fields).Path, JsonValue.Create("__replaced__"));
        request.RawBody = Encoding.UTF8.GetBytes(Serialize(request.Json!).Replace(marker, rawJson));
    }

    private byte[] InvalidUtf8(MalformedRequest request)
    {
        var json = Encoding.UTF8.GetBytes(request.Json is null ? "{}" : Serialize(request.Json));
        byte[][] bad = [[0xC3, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
        var at = json.Length > 2 ? _random.Next(1, json.Length - 1) : 1;
        // UTF-16 text declared as UTF-8 now and then, the rest raw bytes that are no UTF-8 at all.
        return _random.Next(4) == 0
            ? Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(json))
            : [.. json[..at], .. Choose(bad), .. json[at..]];
    }

    private void Huge(MalformedRequest request)
    {
        // Mostly a few hundred kilobytes, now and then megabytes: big enough to pass every limit the API sets on a field.
        var size = _random.Next(4) == 0 ? _random.Next(1_000_000, 2_500_000) : _random.Next(64_000, 300_000);
        var fields = StringFields(request).ToList();
        if (fields.Count > 0 && _random.Next(2) == 0)
        {
            Set(request, Choose(fields), JsonValue.Create(new string('a', size)));
            return;
        }
        // Many small values, in a field no command has.
        var padding = "\"padding\":[" + string.Join(',', Enumerable.Repeat("12345", size / 6)) + "]";
        var json = request.Json is JsonObject ? Serialize(request.Json) : "{}";
        request.RawBody = Encoding.UTF8.GetBytes(json.Length > 2 ? json.Insert(1, padding + ",") : "{" + padding + "}");
    }

    private void MissingFields(MalformedRequest request)
    {
        var body = (JsonObject)request.Json!;
        var names = body.Select(p => p.Key).ToList();
        foreach (var name in names.Where(_ => _random.Next(2) == 0).DefaultIfEmpty(names[0])) body.Remove(name);
        request.RawBody = null;
    }

    private void UnknownFields(MalformedRequest request)
    {
        var body = (JsonObject)request.Json!;
        for (var i = _random.Next(1, 4); i > 0; i--)
            body[Choose(["__proto__", "$type", "constructor", "", "id", "version", "user", "recordedAt", "status", new string('k', 2_000), "ünknown", "CHANNEL"])] =
                Choose<Func<JsonNode?>>([() => JsonValue.Create("x"), () => new JsonObject { ["$type"] = "System.IO.FileInfo" }, () => null,
                    () => JsonValue.Create(Guid.Empty), () => new JsonArray(1, 2, 3)])();
        request.RawBody = null;
    }

    private static byte[] DuplicateKeys(JsonObject body)
    {
        var first = body.First();
        var json = Serialize(body);
        return Encoding.UTF8.GetBytes(json.Insert(1, $"{JsonValue.Create(first.Key).ToJsonString()}:[\"duplicate\"],"));
    }

    private void WrongType(MalformedRequest request)
    {
        var (path, schema) = Choose(TypedFields(request).ToArray());
        var allowed = Types(schema);
        var wrong = new (string Type, Func<JsonNode?> Value)[]
        {
            ("string", () => JsonValue.Create("not a " + allowed.FirstOrDefault(t => t != "null"))),
            ("integer", () => JsonValue.Create(42)), ("number", () => JsonValue.Create(4.2)), ("boolean", () => JsonValue.Create(true)),
            ("array", () => new JsonArray("x")), ("object", () => new JsonObject { ["x"] = 1 }),
        }.Where(w => !allowed.Contains(w.Type) && !(w.Type == "integer" && allowed.Contains("number"))).ToArray();
        Set(request, path, Choose(wrong).Value());
    }

    // ---- fields of the body, by the schema ----

    private IEnumerable<(string[] Path, JsonObject Schema)> AllFields(MalformedRequest request) =>
        request.Json is JsonObject body && request.Operation.Body is { } schema ? Fields(body, schema, []) : [];

    private IEnumerable<(string[] Path, JsonObject Schema)> Fields(JsonObject body, JsonObject schema, string[] at)
    {
        var properties = Concrete(schema)?["properties"]?.AsObject();
        if (properties is null) yield break;
        foreach (var (name, propertySchema) in properties)
        {
            var resolved = Concrete(propertySchema as JsonObject) ?? [];
            yield return ([.. at, name], resolved);
            if (body[name] is JsonObject nested) foreach (var field in Fields(nested, resolved, [.. at, name])) yield return field;
        }
    }

    /// <summary>Fields whose type the document states: a value of another type is refused.</summary>
    private IEnumerable<(string[] Path, JsonObject Schema)> TypedFields(MalformedRequest request) =>
        AllFields(request).Where(f => Types(f.Schema).Any(t => t != "null"));

    private IEnumerable<string[]> StringFields(MalformedRequest request) =>
        AllFields(request).Where(f => Types(f.Schema).Contains("string") && f.Schema["format"] is null).Select(f => f.Path);

    private IEnumerable<string[]> NumberFields(MalformedRequest request) =>
        AllFields(request).Where(f => Types(f.Schema).Any(t => t is "integer" or "number")).Select(f => f.Path);

    private IEnumerable<string[]> DateFields(MalformedRequest request) =>
        AllFields(request).Where(f => ((string?)f.Schema["format"])?.StartsWith("date") == true).Select(f => f.Path);

    private static void Set(MalformedRequest request, string[] path, JsonNode? value)
    {
        var at = (JsonObject)request.Json!;
        foreach (var name in path[..^1]) at = at[name] as JsonObject ?? (JsonObject)(at[name] = new JsonObject());
        at[path[^1]] = value;
        request.RawBody = null;
    }

    /// <summary>A schema with its reference followed and a nullable oneOf reduced to the one alternative that is not null.</summary>
    private JsonObject? Concrete(JsonObject? schema)
    {
        schema = description.Resolve(schema);
        var alternatives = schema is null ? null : Alternatives(schema)?.Where(a => !IsNull(a)).ToList();
        return alternatives is { Count: 1 } ? Concrete(alternatives[0]) : schema;
    }

    private List<JsonObject>? Alternatives(JsonObject schema) =>
        (schema["oneOf"] ?? schema["anyOf"])?.AsArray().OfType<JsonObject>().ToList();

    private bool IsNull(JsonObject schema) => Types(description.Resolve(schema) ?? schema) is ["null"];

    private static string[] Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => (string)t!).ToArray(),
        JsonValue one => [(string)one!],
        _ => [],
    };

    private static HashSet<string> Required(JsonObject schema) =>
        (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).ToHashSet();

    // ---- query and headers ----

    private static IEnumerable<ApiParameter> NumericQuery(ApiOperation operation) =>
        operation.In("query").Where(p => Types(p.Schema).Any(t => t is "integer" or "number"));

    private static void SetQuery(MalformedRequest request, string name, string value)
    {
        request.Query.RemoveAll(q => q.Name == name);
        request.Query.Add((name, value));
    }

    private void OddQuery(MalformedRequest request)
    {
        var declared = request.Operation.In("query").Select(p => p.Name).ToList();
        var name = declared.Count > 0 && _random.Next(3) > 0
            ? declared[_random.Next(declared.Count)]
            : Choose(["unknown", "%zz", "", "a[b]", "$where", "__proto__", "page%00", new string('q', 3_000)]);
        var value = Choose(OddQueryValues);
        if (_random.Next(4) == 0) request.Query.Add((name, value)); // a second value for the same name
        else SetQuery(request, name, value);
    }

    private void OddHeader(MalformedRequest request)
    {
        var (name, value) = Choose<Func<(string, string)>>([
            () => ("If-Match", Choose(["abc", "W/", "\"-1\"", "\"0\"", "\"99999999999999999999\"", "*", "\"1\", \"2\"", new string('9', 3_000), "W/\"x\""])),
            () => ("If-None-Match", Choose(["abc", "\"-1\"", "*", "W/\"1\"", new string('"', 100)])),
            () => ("Idempotency-Key", Choose([Choose(_idempotencyKeys), Choose(_idempotencyKeys), new string('k', 201), " ", "\u0001\u0002", "ключ-🔑", Choose(Hostile)])),
            () => ("X-Correlation-Id", Choose([new string('c', 201), new string('c', 20_000), "\u0000", "相关-" + request.Number, Choose(Hostile)])),
            () => ("Accept", Choose(["application/xml", "text/html", "*/*;q=0", "application/json;q=abc", "\u0000"])),
            () => ("Content-Encoding", Choose(["gzip", "br", "deflate, gzip", "x-unknown"])),
            () => ("Content-Language", Choose(Hostile)),
            () => ("X-HTTP-Method-Override", Choose(["DELETE", "PUT", "GET"])),
            () => ("X-Forwarded-For", Choose(["256.256.256.256", "::ffff:", "' or 1=1", "1.1.1.1, 2.2.2.2"])),
            () => ("Range", "bytes=0-0,-1"),
            () => ("Expect", "100-continue"),
            () => ("X-" + new string('h', _random.Next(1, 500)), Choose(Hostile)),
        ])();
        request.SetHeader(name, value);
    }

    // ---- the values ----

    private static readonly string[] UnsupportedCharsets = ["utf-7", "UTF-7", "\"utf-7\"", "utf-32", "klingon", "x-unknown", "", "\"\"", "utf-8, utf-16", "ebcdic-cp-us", "csUnicode11UTF7", "unicode-1-1-utf-7"];

    private static readonly string[] OtherMediaTypes =
        ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png", "application/jsonx", "json", ";", "application/json;;;=", "*/*"];

    private static readonly string[] OddJsonMediaTypes =
        ["application/json; charset=UTF-8", "application/json;charset=\"utf-8\"", "APPLICATION/JSON", "application/problem+json", "application/vnd.complaints+json",
         "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/json; charset=us-ascii", "application/json; v=1", "application/json; charset=utf8"];

    private static readonly string[] NotNumbers = ["abc", "1.5", "1e3", "99999999999999999999", "-99999999999", "", "%20", "0x10", "NaN", "true", "%zz", "１"];

    private static readonly string[] OddNumbers = ["1e400", "-1e400", "-0", "0", "-1", "2147483648", "-2147483649", "9223372036854775808", "1.5", "1e2", "100000", "0.0000001"];

    private static readonly string[] OddDates =
        ["not a date", "2026-02-30T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "2026-03-02", "2026-03-02T09:00:00",
         "1700000000", "", "2026-W10-1", "+002026-03-02T09:00:00Z", "2026-03-02T25:61:61Z", "2026-03-02T09:00:00+25:00", "0000-00-00T00:00:00Z"];

    private const string LoneSurrogateMarker = "__lone_surrogate__";
    private const string LoneSurrogate = "before " + LoneSurrogateMarker + " after";

    /// <summary>Strings that have broken other systems: injections, control and invisible characters, odd scripts, sizes.</summary>
    public static readonly string[] Hostile =
    [
        "'; drop table complaints.mt_events; --", "\" OR 1=1 --", "Robert'); DROP TABLE Students;--", "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://example.invalid/a}", "%s%s%s%n", "{0}{1}", "../../../../etc/passwd",
        "C:\\Windows\\System32\\", "a\u0000b", "\r\nSet-Cookie: x=1", "\u202Egnp.exe", "\uFEFFbom", "\u200B\u200C\u200D", "Z\u0335\u0336\u0337\u0338",
        "😀🏳️‍🌈👨‍👩‍👧", "𝕳𝖊𝖑𝖑𝖔", "楼上漏水，天花板发霉", "مرحبا", "\u2028\u2029", "null", "undefined", "NaN", "true", "-1", "1e309", "", " ", "\t\n",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "{\"$gt\": \"\"}", "$where: '1 == 1'",
        new string('a', 4_001), new string('界', 200), "\\", "\"", "'", "`", "admin'--", "\u001b[31mred\u001b[0m",
    ];

    private static readonly string[] OddQueryValues =
    [
        "", " ", "abc", "-1", "0", "99999999999999999999", "1.5", "true", "null", "2026-13-45", "9999-12-31T23:59:59Z", "0001-01-01",
        "%zz", "%", "%ff%fe", "%00", "%E6%A5%BC", "a,b,c", new string('v', 10_000), Uri.EscapeDataString("'; drop table x; --"),
        Uri.EscapeDataString("<script>"), "-receivedAt,status", "Unknown", "-", "+", "%2B1",
    ];

    /// <summary>JSON text for a body; a lone surrogate, which no serializer writes, is written as its escape.</summary>
    public static string Serialize(JsonNode? json)
    {
        return (json?.ToJsonString() ?? "null").Replace(LoneSurrogateMarker, "\\ud800");
    }
}

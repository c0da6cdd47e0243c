using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace Complaints.Api.Tests.Contract;

/// <summary>
/// Malformed requests made from the live OpenAPI document (see <see cref="MalformedRequests"/>), sent one after another
/// to the API over its own database. None may get a 5xx; every 4xx is problem details; a forged, altered or missing token
/// gets 401; a refused request records nothing (no event, no receipt, no complaint) and is logged at most once, at
/// Information or lower, without a stack trace; and the shipped logging configuration writes less than 1 MB for every
/// 10 000 of them. COMPLAINTS_FUZZ_REQUESTS sets how many (10 000 by default) and COMPLAINTS_FUZZ_SEED which.
/// </summary>
public sealed class MalformedRequestTests(MalformedRequestHost api) : IClassFixture<MalformedRequestHost>
{
    public const string RequestsVariable = "COMPLAINTS_FUZZ_REQUESTS";
    public const string SeedVariable = "COMPLAINTS_FUZZ_SEED";
    public const int DefaultRequests = 10_000;
    public const int DefaultSeed = 20_261_202;
    private const long MaxLogBytesPer10000 = 1_000_000;

    private static int Setting(string variable, int otherwise) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : otherwise;

    [Fact]
    public async Task malformed_requests_never_get_a_5xx_and_those_refused_record_nothing_and_log_little()
    {
        var count = Setting(RequestsVariable, DefaultRequests);
        var seed = Setting(SeedVariable, DefaultSeed);
        var document = JsonNode.Parse(await (await api.Host.Scenario(s =>
        {
            s.Get.Url("/openapi/v1.json");
            s.WithRequestHeader(TestIdentities.AnonymousHeader, "true");
        })).ReadAsTextAsync())!.AsObject();
        var description = new ApiDescription(document);
        var operations = description.Operations(api.Endpoints);
        operations.Count.ShouldBeGreaterThan(30, "the OpenAPI document describes every route");
        var requests = new MalformedRequests(description, operations, api.Targets, api.Tokens, seed);

        var before = await Recorded();
        var logBefore = (api.Written.Bytes, api.Written.Count);
        var refusalsAtStart = api.Refusals.Count;
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var accepted = new List<MalformedRequest>();
        var acceptedCauses = new HashSet<string>();
        var acceptedKeys = new HashSet<string>();
        var receivedComplaints = 0;
        var kinds = new SortedDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var number = 1; number <= count; number++)
        {
            var request = requests.Next(number);
            var refusalsBefore = api.Refusals.Count;
            var (context, body) = await Send(request);
            var status = context.Response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var failure = Judge(request, context, body, api.Refusals.Since(refusalsBefore));
            if (failure is not null)
            {
                failures.Add($"{failure}\n  {request}\n  answer: {MalformedRequest.Clip(body, 400)}");
                var kind = $"{failure.Split(':')[0]} on {request.Operation}";
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            }
            if (status is >= 200 and < 300)
            {
                accepted.Add(request);
                acceptedCauses.Add(context.TraceIdentifier);
                if (request.Header("Idempotency-Key")?.Trim() is { Length: > 0 } key) acceptedKeys.Add($"http:{ForgedTokens.User}:{key}");
                if (status == StatusCodes.Status201Created) receivedComplaints++;
            }
        }
        clock.Stop();
        var after = await Recorded();
        var logBytes = api.Written.Bytes - logBefore.Bytes;
        var logged = api.Written.Since(logBefore.Count);

        // Nothing recorded by a refused request: every event appended since names an accepted request as its cause,
        // every new receipt an accepted request's key, and the complaints counted are the ones received.
        var events = await TestSql.Lines(api.ConnectionString,
            "select coalesce(causation_id, '(none)') || ' ' || stream_id || ' ' || type from complaints.mt_events where seq_id > @mark order by seq_id",
            ("mark", before.LastSequence));
        failures.AddRange(events.Where(e => !acceptedCauses.Contains(e.Split(' ')[0]))
            .Select(e => $"an event recorded by a request that was refused (or by none): {e}"));
        failures.AddRange(after.Receipts.Except(before.Receipts).Where(r => !acceptedKeys.Contains(r))
            .Select(r => $"a receipt recorded by a request that was refused: {r}"));
        if (after.Complaints - before.Complaints != receivedComplaints)
            failures.Add($"{after.Complaints - before.Complaints} complaints were recorded, but {receivedComplaints} receives were accepted");

        // Refused input is no server error: nothing at Warning or above, no stack trace, and little of it at all.
        failures.AddRange(logged.Where(e => e.Level >= LogLevel.Warning || e.Exception is not null).Take(20).Select(e => $"logged: {e}"));
        var logBytesPer10000 = logBytes * 10_000 / count;
        if (logBytesPer10000 >= MaxLogBytesPer10000)
            failures.Add($"{logBytes:N0} bytes of log for {count:N0} requests ({logBytesPer10000:N0} per 10 000, at most {MaxLogBytesPer10000:N0})");

        var atDebug = api.Refusals.Since(refusalsAtStart).ToLookup(e => e.Category.StartsWith("Complaints.", StringComparison.Ordinal));
        var (ours, theirs) = (atDebug[true].ToList(), atDebug[false].ToList());
        var summary =
            $"seed {seed}: {count:N0} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:N1} s ({count / clock.Elapsed.TotalSeconds:N0}/s); " +
            $"answers {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}; {accepted.Count} taken, {events.Count} events recorded; " +
            $"log at the shipped levels: {logBytes:N0} bytes in {logged.Count} entries; " +
            $"at Debug, the API's refusals: {ours.Sum(e => e.Bytes):N0} bytes in {ours.Count} entries " +
            $"(and ASP.NET Core's and Wolverine.Http's at Trace: {theirs.Sum(e => e.Bytes):N0} bytes in {theirs.Count})";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        failures.ShouldBeEmpty($"{summary}\n{failures.Count} failures:\n{string.Join("\n", kinds.Select(k => $"  {k.Value}× {k.Key}"))}\nthe first:\n{string.Join("\n", failures.Take(15))}\n" +
                               $"(again with {SeedVariable}={seed} {RequestsVariable}={count})");
    }

    [Fact]
    public async Task a_refused_request_is_logged_once_at_debug_without_its_stack_trace()
    {
        var id = api.Targets.Complaints[^1]; // archived: it refuses every command
        (string Url, string Body, string ContentType, int Status)[] refusals =
        [
            ($"/api/complaints/{id}/accept", """{ "note": """, "application/json", 400),
            ($"/api/complaints/{id}/follow-up", """{ "satisfied": true, "score": 9 }""", "application/json", 400),
            ($"/api/complaints/{id}/urge", """{ "note": "call back" }""", "application/json", 409),
            ($"/api/complaints/{Guid.NewGuid()}/urge", "{}", "application/json", 404),
            ($"/api/complaints/{id}/urge", "{}", "application/json; charset=utf-7", 415),
        ];
        foreach (var (url, body, contentType, status) in refusals)
        {
            var written = api.Written.Count;
            var refused = api.Refusals.Count;
            await api.Host.Scenario(s =>
            {
                s.Post.RawJson(body).ToUrl(url);
                s.WithRequestHeader(ApiFixture.UserHeader, "service.refused");
                s.ConfigureHttpContext(http => http.Request.ContentType = contentType);
                s.StatusCodeShouldBe(status);
            });
            var logged = api.Refusals.Since(refused).ShouldHaveSingleItem($"{url} {body}");
            logged.Level.ShouldBe(LogLevel.Debug);
            logged.Exception.ShouldBeNull();
            logged.Message.ShouldStartWith($"POST {url} refused with {status}: ");
            api.Written.Since(written).Where(e => RefusalCategory(e.Category)).ShouldBeEmpty();
        }
    }

    private static bool RefusalCategory(string category) =>
        MalformedRequestHost.RefusalLog.Categories.Any(c => category.StartsWith(c, StringComparison.Ordinal));

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Judge(MalformedRequest request, HttpContext context, string body, IReadOnlyList<CapturedLog.LogEntry> logged)
    {
        var status = context.Response.StatusCode;
        if (status >= 500) return $"{status} for bad input";
        // The test server passes any header on; Kestrel refuses to write one that is not printable ASCII, and answers 500.
        if (context.Response.Headers.FirstOrDefault(h => h.Value.Any(v => v?.Any(c => c is (< ' ' and not '\t') or > '~') == true)) is { Key: { } header })
            return $"{status} with a {header} header the server cannot write (not printable ASCII), so a 500 over the network";
        if (request.BadToken && status != StatusCodes.Status401Unauthorized) return $"{status} for a forged or broken token, not 401";
        if (status is < 400 or >= 500) return null;
        if (context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
            return $"{status} as {context.Response.ContentType ?? "no content type"}, not problem details";
        try
        {
            if (JsonNode.Parse(body) is not JsonObject problem || problem["status"]?.GetValue<int>() != status || problem["title"] is null)
                return $"{status} with problem details that do not give its status and title";
        }
        catch (JsonException)
        {
            return $"{status} with problem details that are not JSON";
        }
        if (logged.FirstOrDefault(e => e.Exception is not null || e.Level > LogLevel.Information) is { } loud)
            return $"{status} logged as an error: {loud}";
        if (logged.Count(e => e.Category.StartsWith("Complaints.", StringComparison.Ordinal)) > 1)
            return $"{status} logged more than once: {string.Join(" | ", logged)}";
        return null;
    }

    private async Task<(HttpContext Context, string Body)> Send(MalformedRequest request)
    {
        var body = request.Body;
        var context = await api.Host.Server.SendAsync(http =>
        {
            http.Request.Method = request.Method;
            http.Request.Path = PathString.FromUriComponent(request.Path);
            http.Request.QueryString = new QueryString(request.QueryString);
            foreach (var (name, value) in request.Headers) http.Request.Headers.Append(name, value);
            // A request the fuzz sends without a token goes without one: the test host lends none.
            if (request.Header("Authorization") is null) http.Request.Headers[Support.TestIdentities.AnonymousHeader] = "true";
            if (body is not null)
            {
                http.Request.Body = new MemoryStream(body);
                http.Request.ContentLength = body.Length;
                // The test server reads bodies from a pipe of its own, and says there is none: as a server would, this one has one.
                http.Features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(http));
                http.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context, await reader.ReadToEndAsync());
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private sealed record Snapshot(long LastSequence, long Complaints, HashSet<string> Receipts);

    private async Task<Snapshot> Recorded() => new(
        Convert.ToInt64(await TestSql.Scalar(api.ConnectionString, "select coalesce(max(seq_id), 0) from complaints.mt_events")),
        Convert.ToInt64(await TestSql.Scalar(api.ConnectionString, "select count(*) from complaints.mt_streams")),
        [.. await TestSql.Lines(api.ConnectionString, "select id from complaints.mt_doc_commandreceipt")]);
}

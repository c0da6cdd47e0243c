using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.ApiReference;
using Complaints.Api.Commanding;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Shouldly;
using static Complaints.Api.Tests.ApiReference.LiveDocument;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>
/// The OpenAPI document says what the API does: checked against the API itself where it can be (who needs a token, which
/// fields a command cannot go without), and otherwise against the declarations it is made from.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFixture fixture)
{
    private const string SomeId = "00000000-0000-0000-0000-00000000d0c5";

    private Task<JsonObject> Document() => Json(fixture.Host);

    [Fact]
    public async Task an_operation_asks_for_the_bearer_token_exactly_when_the_api_answers_401_without_one()
    {
        var document = await Document();
        var scheme = document["components"]!["securitySchemes"]![OperationDescription.BearerScheme]!;
        ((string?)scheme["type"], (string?)scheme["scheme"]).ShouldBe(("http", "bearer"));

        foreach (var (method, path, operation) in OperationsOf(document))
        {
            var security = operation["security"]!.AsArray();
            var result = await fixture.Host.Scenario(s =>
            {
                var url = path.Replace("{id}", SomeId).Replace("{trackingNumber}", "CMP-NONE").Replace("{month}", "2026-03")
                    .Replace("{name}", "NoSuchProjection");
                if (method == "GET") s.Get.Url(url);
                else if (method == "DELETE") s.Delete.Url(url);
                else s.Post.Json(new { }).ToUrl(url);
                s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
                s.IgnoreStatusCode();
            });
            var unauthorized = result.Context.Response.StatusCode == (int)HttpStatusCode.Unauthorized;
            security.Count.ShouldBe(unauthorized ? 1 : 0, $"{method} {path} answers {result.Context.Response.StatusCode} without a token");
            if (unauthorized)
            {
                security[0]!.AsObject().Select(s => s.Key).ShouldBe([OperationDescription.BearerScheme]);
                operation["responses"]!.AsObject().Select(r => r.Key).ShouldContain("401");
                operation["responses"]!.AsObject().Select(r => r.Key).ShouldContain("403");
            }
        }
        // Everything under /api but the complainant's own lookup.
        OperationsOf(document).Where(o => o.Operation["security"]!.AsArray().Count == 0).Select(o => (string?)o.Operation["operationId"])
            .ShouldBe(["TrackComplaint"]);
    }

    [Fact]
    public async Task the_fields_a_command_requires_are_the_ones_the_api_refuses_it_without()
    {
        var document = await Document();
        // From a caller who may give every command, so that each body reaches its command.
        var api = new ComplaintsApi(fixture.Host, Contract.BadInputTests.Sender);
        // Archived, so that a command the empty body satisfies is refused for the state (409), never carried out.
        var id = await api.ReceiveId();
        await api.Do(id, "withdraw");
        await api.Do(id, "archive");

        foreach (var declared in CommandCatalog.OnComplaint.Prepend(CommandCatalog.Receive))
        {
            var operation = Operation(document, declared.Command.Name);
            var body = operation["requestBody"]!;
            ((bool?)body["required"]).ShouldBe(true);
            var reference = (string)body["content"]!["application/json"]!["schema"]!["$ref"]!;
            var schema = Schema(document, reference.Split('/')[^1]);
            var required = Strings(schema["required"]);

            var url = declared == CommandCatalog.Receive ? "/api/complaints" : $"/api/complaints/{id}/{declared.Action}";
            var answer = await api.PostRaw(url, "{}");
            if (required.Length == 0)
                answer.Context.Response.StatusCode.ShouldNotBe(400, $"{declared.Action} with no fields");
            else
            {
                answer.Context.Response.StatusCode.ShouldBe(400, $"{declared.Action} with no fields");
                ComplaintsApi.Problem(answer)["errors"]!.AsObject().Select(e => e.Key).ShouldBe(required, ignoreOrder: true,
                    customMessage: $"{declared.Action}: the fields the API asks for");
            }
            // A required field cannot be null; the others may be left out or sent as null.
            foreach (var (name, property) in schema["properties"]!.AsObject())
                MayBeNull(property!).ShouldBe(!required.Contains(name), $"{declared.Action}.{name}");
        }
    }

    [Fact]
    public async Task a_new_complaint_needs_a_name_and_one_way_to_reply_while_an_answer_shows_all_four_fields()
    {
        var document = await Document();
        var receive = Schema(document, nameof(ReceiveComplaint));
        ((string?)receive["properties"]!["complainant"]!["$ref"]).ShouldBe("#/components/schemas/" + DocumentDescription.ComplainantAtIntake);

        var atIntake = Schema(document, DocumentDescription.ComplainantAtIntake);
        Strings(atIntake["required"]).ShouldBe(["name"]);
        atIntake["anyOf"]!.AsArray().Select(s => Strings(s!["required"]).Single()).ShouldBe(["phone", "email", "address"]);

        var shown = Schema(document, nameof(Complainant));
        Strings(shown["required"]).ShouldBe(["name", "phone", "email", "address"], ignoreOrder: true);

        // As the API does: a name and an email is enough, a name alone is not.
        var api = new ComplaintsApi(fixture.Host, "intake.amy");
        await api.Receive(new { channel = "Email", complainant = new { name = "Li Na", email = "li.na@example.cn" }, description = "The lift has been out of order for a week." });
        var problem = await api.ReceiveFails(new { channel = "Email", complainant = new { name = "Li Na" }, description = "The lift has been out of order for a week." });
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["complainant"]);
    }

    [Fact]
    public async Task an_enumeration_is_its_names_and_an_answer_shows_every_property_null_only_where_its_type_allows()
    {
        var document = await Document();
        foreach (var enumeration in new[] { typeof(Channel), typeof(ComplaintStatus), typeof(Severity), typeof(Priority), typeof(Remedy), typeof(CloseReason) })
        {
            var schema = Schema(document, enumeration.Name);
            ((string?)schema["type"]).ShouldBe("string");
            Strings(schema["enum"]).ShouldBe(Enum.GetNames(enumeration), $"{enumeration.Name}");
        }

        // Every answer's type, down to the types of its properties: each property is always there, and null where its type allows.
        var commands = CommandCatalog.OnComplaint.Prepend(CommandCatalog.Receive).Select(c => c.Command).ToHashSet();
        var answers = new[] { typeof(ComplaintDetails), typeof(Program), typeof(Complaint) }.Select(t => t.Assembly)
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.IsGenericTypeDefinition && !commands.Contains(t) && !t.IsDefined(typeof(RequestBodyAttribute), false) && document["components"]!["schemas"]![t.Name] is JsonObject { } schema
                        && (string?)schema["type"] == "object")
            .ToList();
        answers.Count.ShouldBeGreaterThan(30);
        foreach (var type in answers)
        {
            var schema = Schema(document, type.Name);
            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<NotShownAttribute>() is null && p.GetIndexParameters().Length == 0))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                Strings(schema["required"]).ShouldContain(name, $"{type.Name}.{name}");
                var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                               || (!property.PropertyType.IsValueType && property.PropertyType != typeof(object)
                                   && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable);
                MayBeNull(schema["properties"]![name]!).ShouldBe(nullable, $"{type.Name}.{name}");
            }
        }
    }

    [Fact]
    public async Task a_number_is_a_number_both_in_the_document_and_to_the_api()
    {
        var score = Schema(await Document(), nameof(RecordFollowUp))["properties"]!["score"]!;
        ((string?)score["type"]).ShouldBe("integer");

        var api = new ComplaintsApi(fixture.Host, "intake.amy");
        var id = await api.ReceiveId();
        var problem = ComplaintsApi.Problem(await api.PostRaw($"/api/complaints/{id}/follow-up", """{ "satisfied": true, "score": "5" }"""));
        ((int?)problem["status"]).ShouldBe(400);
    }

    [Fact]
    public async Task state_that_answers_never_show_is_not_in_the_document_either()
    {
        var notShown = typeof(ComplaintDetails).GetProperties().Where(p => p.GetCustomAttribute<NotShownAttribute>() is not null)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();
        notShown.ShouldNotBeEmpty();

        var properties = Schema(await Document(), nameof(ComplaintDetails))["properties"]!.AsObject().Select(p => p.Key);
        properties.ShouldNotContain(name => notShown.Contains(name));
    }

    [Fact]
    public async Task the_headers_the_api_sends_and_reads_are_described()
    {
        var document = await Document();
        string[] Sent(string operationId, string status) =>
            Operation(document, operationId)["responses"]![status]!["headers"]?.AsObject().Select(h => h.Key).ToArray() ?? [];
        string[] Read(string operationId) =>
            Operation(document, operationId)["parameters"]!.AsArray().Select(p => ((string?)p!["$ref"])?.Split('/')[^1]).OfType<string>().ToArray();

        Sent("ReceiveComplaint", "201").ShouldBe(["Location", "Idempotent-Replayed", "X-Correlation-Id", "Cache-Control"], ignoreOrder: true);
        Read("ReceiveComplaint").ShouldBe(["Idempotency-Key", "X-Correlation-Id"]);
        // A new access code is shown once: a retry cannot be answered with it, so the operation takes no Idempotency-Key.
        Sent("IssueAccessCode", "200").ShouldBe(["X-Correlation-Id", "Cache-Control"], ignoreOrder: true);
        Read("IssueAccessCode").ShouldBe(["X-Correlation-Id"]);
        Operation(document, "IssueAccessCode")["responses"]!.AsObject().Select(r => r.Key)
            .ShouldBe(["200", "400", "401", "403", "404", "409", "429", "503"]);
        foreach (var declared in CommandCatalog.OnComplaint)
        {
            Sent(declared.Command.Name, "200").ShouldBe(["ETag", "Idempotent-Replayed", "X-Correlation-Id"], ignoreOrder: true);
            Read(declared.Command.Name).ShouldBe(["If-Match", "Idempotency-Key", "X-Correlation-Id"]);
            Operation(document, declared.Command.Name)["responses"]!.AsObject().Select(r => r.Key)
                .ShouldBe(["200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "429", "503"]);
        }
        Sent("GetComplaint", "200").ShouldBe(["ETag"]);
        Sent("GetComplaint", "304").ShouldBe(["ETag"]);
        Read("GetComplaint").ShouldBe(["If-None-Match"]);
        Sent("TrackComplaint", "429").ShouldBe(["Retry-After"]);
        Sent("GetCycleTimes", "200").ShouldBe(["Age"]);
        foreach (var (method, path, operation) in OperationsOf(document))
        {
            operation["responses"]!["503"]!["headers"]!.AsObject().Select(h => h.Key).ShouldBe(["Retry-After"], $"{method} {path}");
            operation["responses"]!["429"]!["headers"]!.AsObject().Select(h => h.Key).ShouldBe(["Retry-After"], $"{method} {path}");
        }

        // Each is described once, where the operations refer to it.
        foreach (var header in document["components"]!["headers"]!.AsObject().Concat(document["components"]!["parameters"]!.AsObject()))
            ((string?)header.Value!["description"]).ShouldNotBeNullOrWhiteSpace(header.Key);
    }

    [Fact]
    public async Task every_error_is_answered_as_problem_details()
    {
        foreach (var (method, path, operation) in OperationsOf(await Document()))
        foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => int.Parse(r.Key) >= 400))
            response!["content"]!.AsObject().Select(c => c.Key).ShouldBe([OperationDescription.ProblemContentType], $"{method} {path} {status}");
    }

    [Fact]
    public async Task every_operation_has_an_id_a_summary_a_description_and_one_capability_of_the_reference()
    {
        var document = await Document();
        document["tags"]!.AsArray().Select(t => (string?)t!["name"]).ShouldBe(Capabilities.All.Select(c => c.Name));
        document["tags"]!.AsArray().ShouldAllBe(t => !string.IsNullOrWhiteSpace((string?)t!["description"]));

        var operations = OperationsOf(document).ToList();
        operations.Select(o => (string?)o.Operation["operationId"]).ShouldBeUnique();
        foreach (var (method, path, operation) in operations)
        {
            var id = (string?)operation["operationId"];
            id.ShouldNotBeNullOrWhiteSpace($"{method} {path}");
            id.ShouldMatch("^[A-Z][A-Za-z]+$", $"{method} {path}");
            ((string?)operation["summary"]).ShouldNotBeNullOrWhiteSpace(id);
            ((string?)operation["summary"])!.Length.ShouldBeLessThan(80, id);
            ((string?)operation["description"]).ShouldNotBeNullOrWhiteSpace(id);
            ((string?)operation["description"])!.ShouldNotContain("_api_", customMessage: id);
            Capabilities.All.Select(c => c.Name).ShouldContain(Strings(operation["tags"]).Single(), id);
        }
        ((string?)document["servers"]![0]!["url"])!.ShouldNotEndWith("/");
    }

    [Fact]
    public async Task the_root_leads_to_the_reference_page_which_anyone_may_open()
    {
        var root = await fixture.Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            s.StatusCodeShouldBe(HttpStatusCode.Redirect);
        });
        var reference = root.Context.Response.Headers.Location.ToString();
        reference.ShouldBe(ApiReferenceSetup.ReferencePage);

        var page = await fixture.Host.Scenario(s =>
        {
            s.Get.Url(reference);
            s.WithRequestHeader(ApiFixture.AnonymousHeader, "true");
            s.StatusCodeShouldBeOk();
        });
        page.Context.Response.ContentType.ShouldStartWith("text/html");
    }

    /// <summary>Whether a property's schema admits null: a type list with "null", or one of null and a reference.</summary>
    private static bool MayBeNull(JsonNode property) => property switch
    {
        _ when property["oneOf"] is JsonArray oneOf => oneOf.Any(s => (string?)s!["type"] == "null"),
        _ when property["type"] is JsonArray types => types.Any(t => (string?)t == "null"),
        _ => false,
    };
}

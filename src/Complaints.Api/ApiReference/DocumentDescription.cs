using Complaints.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Complaints.Api.ApiReference;

/// <summary>
/// The document as a whole: what the API is, how to call it (the bearer scheme), the capabilities it groups its operations
/// by, the headers of its conventions, and the complainant as a new complaint gives them.
/// </summary>
public sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    public const string Title = "Complaints API";

    /// <summary>The complainant in a new complaint: a name and at least one way to reply, unlike the complainant an answer shows.</summary>
    public const string ComplainantAtIntake = "ComplainantAtIntake";

    private const string Overview =
        """
        Complaint handling for offices that take complaints. Every complaint is one event stream: each step is a fact
        recorded with who did it and when; nothing is edited or deleted.

        **Calling it.** Every request under `/api` carries a bearer token (`Authorization: Bearer …`) whose subject is the
        acting user recorded on every event and whose roles say what they may do. A developer's token for a user and role:
        `dotnet run --project src/Complaints.Api -- token --user li.wei --role handler`. Each operation lists the roles it takes.

        **Conventions.** JSON in camelCase, enumerations as their names, numbers as numbers. Every answer that carries a case carries its version
        as the `ETag`; a command sent with `If-Match` applies only to that version (412 otherwise). A command with an
        `Idempotency-Key` may be retried safely. Every command may say when it happened with `at` (ISO 8601; now when left
        out). Errors are RFC 9457 problem details (`application/problem+json`).
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo { Title = Title, Version = "v1", Description = Overview };
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/');

        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [OperationDescription.BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT signed by the configured issuer: `sub` is the acting user, `role` claims the roles.",
            },
        };
        components.Headers = ApiHeaders.Sent.ToDictionary(h => h.Key, IOpenApiHeader (h) => new OpenApiHeader
        {
            Description = h.Value.Description,
            Schema = Schema(h.Value),
        });
        components.Parameters = ApiHeaders.Read.ToDictionary(h => h.Key, IOpenApiParameter (h) => new OpenApiParameter
        {
            Name = h.Key,
            In = ParameterLocation.Header,
            Description = h.Value.Description,
            Schema = Schema(h.Value),
        });

        document.Tags = new HashSet<OpenApiTag>(Capabilities.All.Select(c => new OpenApiTag { Name = c.Name, Description = c.Description }));
        foreach (var schema in (components.Schemas ?? new Dictionary<string, IOpenApiSchema>()).Values.OfType<OpenApiSchema>())
            ApplyNullability(schema, document);
        DescribeComplainantAtIntake(document, components);
        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(ApiHeaders.Header header) => new()
    {
        Type = header.Kind switch
        {
            ApiHeaders.Kind.Integer => JsonSchemaType.Integer,
            ApiHeaders.Kind.Boolean => JsonSchemaType.Boolean,
            _ => JsonSchemaType.String,
        },
        MaxLength = header.MaxLength,
    };

    /// <summary>Each property of an object may be null exactly when <see cref="SchemaDescription"/> noted so.</summary>
    private static void ApplyNullability(OpenApiSchema schema, OpenApiDocument document)
    {
        if (schema.Metadata is null || !schema.Metadata.TryGetValue(SchemaDescription.NullableProperties, out var noted)
            || noted is not HashSet<string> nullable || schema.Properties is null)
            return;
        foreach (var (name, property) in schema.Properties.ToList())
            schema.Properties[name] = (AsReference(property, document), nullable.Contains(name)) switch
            {
                (OpenApiSchemaReference reference, true) => new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] },
                (OpenApiSchema { OneOf: [var first, var second] }, false) when first.Type == JsonSchemaType.Null => second,
                (OpenApiSchema { Type: { } type } plain, var mayBeNull) => WithType(plain, mayBeNull ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null),
                (var same, _) => same,
            };
    }

    /// <summary>An enumeration written out in place (as one with a default value is) refers to its component instead.</summary>
    private static IOpenApiSchema AsReference(IOpenApiSchema property, OpenApiDocument document) =>
        property is OpenApiSchema { Metadata: { } metadata } && metadata.TryGetValue(SchemaDescription.Enumeration, out var name)
        && document.Components?.Schemas?.ContainsKey((string)name) == true
            ? new OpenApiSchemaReference((string)name, document)
            : property;

    private static OpenApiSchema WithType(OpenApiSchema schema, JsonSchemaType type)
    {
        schema.Type = type;
        return schema;
    }

    /// <summary>
    /// An answer always shows the complainant's four fields (all but the name null once erased); a new complaint needs a
    /// name and at least one of phone, email and address, so that the office can reply.
    /// </summary>
    private static void DescribeComplainantAtIntake(OpenApiDocument document, OpenApiComponents components)
    {
        if (components.Schemas is not { } schemas
            || !schemas.TryGetValue(nameof(Complainant), out var complainant)
            || !schemas.TryGetValue(nameof(ReceiveComplaint), out var receiveComplaint)
            || receiveComplaint is not OpenApiSchema { Properties: { } receive })
            return;

        var atIntake = (OpenApiSchema)complainant.CreateShallowCopy();
        atIntake.Description = "The complainant as the office takes them down: a name and at least one way to reply (phone, email or address).";
        atIntake.Properties = complainant.Properties!.ToDictionary(p => p.Key, p => p.Value.CreateShallowCopy());
        atIntake.Required = new HashSet<string> { Property(nameof(Complainant.Name)) };
        ((OpenApiSchema)atIntake.Properties[Property(nameof(Complainant.Name))]).Pattern = NotBlank;
        ((OpenApiSchema)atIntake.Properties[Property(nameof(Complainant.Email))]).Format = "email";
        atIntake.AnyOf =
        [
            .. new[] { nameof(Complainant.Phone), nameof(Complainant.Email), nameof(Complainant.Address) }.Select(IOpenApiSchema (field) =>
                new OpenApiSchema
                {
                    Required = new HashSet<string> { Property(field) },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [Property(field)] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = NotBlank },
                    },
                }),
        ];
        schemas[ComplainantAtIntake] = atIntake;
        receive[Property(nameof(ReceiveComplaint.Complainant))] = new OpenApiSchemaReference(ComplainantAtIntake, document);
    }

    /// <summary>A text with something in it besides white space, as the API's validation asks.</summary>
    private const string NotBlank = @"\S";

    private static string Property(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}

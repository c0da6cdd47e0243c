using Scalar.AspNetCore;

namespace Complaints.Api.ApiReference;

/// <summary>
/// The API's description: the OpenAPI document at /openapi/v1.json, the reference page (Scalar) at /scalar, and / leading
/// to the reference page. The document is generated from the endpoints and completed by the transformers here, so that it
/// says what the API does: who may call, what it reads and answers, every error.
/// </summary>
public static class ApiReferenceSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    /// <summary>The reference page itself (Scalar redirects its path there).</summary>
    public const string ReferencePage = ReferencePath + "/";

    public static IServiceCollection AddComplaintsApiReference(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<SchemaDescription>();
            options.AddOperationTransformer<OperationDescription>();
            options.AddDocumentTransformer<DocumentDescription>();
        });

    public static void MapComplaintsApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle(DocumentDescription.Title)
                .AddPreferredSecuritySchemes(OperationDescription.BearerScheme)
                .DisableTelemetry())
            .AllowAnonymous();
        // A person who opens the address Run prints lands on the reference rather than on a bare 401.
        app.MapGet("/", () => Results.Redirect(ReferencePage)).AllowAnonymous().ExcludeFromDescription();
    }
}

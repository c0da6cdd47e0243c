using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Complaints.Api.ApiReference;

/// <summary>
/// Completes each operation from its endpoint's metadata: the bearer token it needs (its authorization) and the roles that
/// may call it, every error it answers as problem details (its <see cref="ProblemAnswerAttribute"/>s and those every
/// endpoint shares), and the headers it reads and sends.
/// </summary>
public sealed class OperationDescription : IOpenApiOperationTransformer
{
    public const string BearerScheme = "Bearer";
    public const string ProblemContentType = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var problems = metadata.OfType<ProblemAnswerAttribute>().Concat(DescribeAccess(operation, context)).ToList();
        // Every endpoint reads or writes the database, and counts against its caller's rate limit.
        problems.Add(new ProblemAnswerAttribute(StatusCodes.Status503ServiceUnavailable,
            "The service is too busy to take this now (the database has no connection to give): nothing was recorded; retry after `Retry-After` seconds."));
        if (!problems.Any(p => p.Status == StatusCodes.Status429TooManyRequests))
            problems.Add(new ProblemAnswerAttribute(StatusCodes.Status429TooManyRequests,
                "The caller has made more requests than its limit allows in the window, or has too many commands waiting already: " +
                "nothing was recorded; retry after `Retry-After` seconds."));
        // A body is JSON, in UTF-8, and no larger than the API takes.
        if (operation.RequestBody is not null)
        {
            problems.Add(new ProblemAnswerAttribute(StatusCodes.Status413PayloadTooLarge,
                "The body is larger than the API takes (`Complaints:Http:MaxBodyBytes`, 256 KiB by default): nothing was recorded."));
            problems.Add(new ProblemAnswerAttribute(StatusCodes.Status415UnsupportedMediaType,
                "The body is not JSON, or its Content-Type names a charset other than UTF-8."));
        }
        await DescribeAnswers(operation, context, problems, ct);
        DescribeHeaders(operation, context);
        if (context.Description.ActionDescriptor is ControllerActionDescriptor { MethodInfo: var method })
            DescribeQueryValues(operation, method, context.Document!);
        if (metadata.OfType<Commanding.CommandDeclaration>().Any())
            DescribeCommandBody(operation);
    }

    /// <summary>The token the operation needs and the roles that may call it; the errors that come with them.</summary>
    private static IEnumerable<ProblemAnswerAttribute> DescribeAccess(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            yield break;
        }
        // Authorization's fallback policy asks every endpoint not marked anonymous for a valid token.
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        yield return new ProblemAnswerAttribute(StatusCodes.Status401Unauthorized, "No bearer token, or one that is not valid or has expired.");

        var roles = metadata.OfType<IAuthorizeData>()
            .SelectMany(a => a.Policy is { } policy && Policies.RolesFor.TryGetValue(policy, out var r) ? r : [])
            .Distinct().ToList();
        if (roles.Count == 0) yield break;
        operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", roles)}.".TrimStart();
        yield return new ProblemAnswerAttribute(StatusCodes.Status403Forbidden, metadata.OfType<Commanding.CommandDeclaration>().Any()
            ? "The token's roles do not do this work, or not on this complaint: a handler acts on the cases assigned to them or to " +
              "their department, an intake agent resolves at first contact, a manager resolves an escalated case."
            : "The token's roles do not do this work.");
    }

    private static async Task DescribeAnswers(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        IEnumerable<ProblemAnswerAttribute> problems, CancellationToken ct)
    {
        var responses = operation.Responses ??= new OpenApiResponses();
        // Wolverine lists a bodiless 404 for an answer that could be null; these endpoints never answer null, and the errors
        // they do answer are all declared, with their problem details.
        foreach (var guessed in responses.Where(r => IsError(r.Key) && r.Value.Content is null or { Count: 0 }).Select(r => r.Key).ToList())
            responses.Remove(guessed);

        foreach (var problem in problems.OrderBy(p => p.Status))
            responses[Code(problem.Status)] = new OpenApiResponse
            {
                Description = problem.When,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemContentType] = new() { Schema = await ProblemSchema(context, problem.WithFieldErrors, ct) },
                },
            };

        foreach (var text in context.Description.ActionDescriptor.EndpointMetadata.OfType<AlsoAnswersAsAttribute>())
        foreach (var mediaType in text.MediaTypes)
            ((OpenApiResponse)responses[Code(text.Status)]).Content![mediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
    }

    /// <summary>The headers sent with each answer and read from the request, referring to their one description.</summary>
    private static void DescribeHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var sends = metadata.OfType<SendsHeaderAttribute>()
            .Append(new SendsHeaderAttribute(StatusCodes.Status503ServiceUnavailable, ApiHeaders.RetryAfter))
            .Append(new SendsHeaderAttribute(StatusCodes.Status429TooManyRequests, ApiHeaders.RetryAfter));
        foreach (var header in sends)
        {
            if (!operation.Responses!.TryGetValue(Code(header.Status), out var response))
                throw new InvalidOperationException($"{operation.OperationId} sends {header.Header} with a {header.Status} it does not answer");
            var headers = ((OpenApiResponse)response).Headers ??= new Dictionary<string, IOpenApiHeader>();
            headers[header.Header] = new OpenApiHeaderReference(header.Header, context.Document);
        }

        // In the order the headers are described, so that each operation lists them alike.
        var order = ApiHeaders.Read.Keys.ToList();
        foreach (var header in metadata.OfType<ReadsHeaderAttribute>().OrderBy(h => order.IndexOf(h.Header)))
            (operation.Parameters ??= []).Add(new OpenApiParameterReference(header.Header, context.Document));
    }

    /// <summary>Query values the endpoint parses itself: what they are read as.</summary>
    private static void DescribeQueryValues(OpenApiOperation operation, MethodInfo method, OpenApiDocument document)
    {
        var parameters = (operation.Parameters ?? []).OfType<OpenApiParameter>().ToList();
        foreach (var declared in method.GetParameters())
        foreach (var parameter in parameters.Where(p => p.Name == declared.Name))
            if (declared.GetCustomAttribute<ReadAsAttribute>() is { } readAs) parameter.Schema = ValueSchema(readAs.Type, document);
    }

    /// <summary>A command's body is the command: JSON null is refused with 400, like any command that is not valid.</summary>
    private static void DescribeCommandBody(OpenApiOperation operation)
    {
        if (operation.RequestBody is not OpenApiRequestBody { Content: { } content } body) return;
        body.Required = true;
        foreach (var media in content.Values)
            if (media.Schema is OpenApiSchema { OneOf: [{ Type: JsonSchemaType.Null }, var command] })
                media.Schema = command;
    }

    /// <summary>The schema of a query value read as an enumeration (its component), a flag or a whole number.</summary>
    private static IOpenApiSchema ValueSchema(Type type, OpenApiDocument document) => type switch
    {
        { IsEnum: true } => new OpenApiSchemaReference(type.Name, document),
        _ when type == typeof(bool) => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        _ when type == typeof(long) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
        _ => throw new InvalidOperationException($"no schema for a query value read as {type.Name}"),
    };

    private static bool IsError(string status) => int.TryParse(status, out var code) && code >= 400;

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);

    /// <summary>The problem details schema, added to the document's components the first time an operation needs it.</summary>
    private static async Task<IOpenApiSchema> ProblemSchema(OpenApiOperationTransformerContext context, bool withFieldErrors, CancellationToken ct)
    {
        var type = withFieldErrors ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(type.Name, document);
    }
}

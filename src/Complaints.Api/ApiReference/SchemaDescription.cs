using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Complaints.Api.Commanding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Complaints.Api.ApiReference;

/// <summary>
/// Makes each schema say what travels on the wire. Enumerations are their names (the API's converter reads and writes
/// names only). A command's field without a default is required and refused when null; its other fields may be left out
/// or sent as null. An answer carries every property, null only where its type allows.
/// </summary>
/// <remarks>
/// Which properties may be null is noted on the object's schema and applied by <see cref="DocumentDescription"/> once the
/// schemas are components, since a property that refers to a component only becomes "null or the component" then.
/// </remarks>
public sealed class SchemaDescription : IOpenApiSchemaTransformer
{
    /// <summary>Schema metadata (not written out): the JSON names of the object's properties that may be null.</summary>
    public const string NullableProperties = "complaints-nullable-properties";

    /// <summary>Schema metadata (not written out): the enumeration a schema lists the names of.</summary>
    public const string Enumeration = "complaints-enumeration";

    /// <summary>The request bodies of the commands, as declared once in the catalog.</summary>
    private static readonly HashSet<Type> Commands = [CommandCatalog.Receive.Command, .. CommandCatalog.OnComplaint.Select(c => c.Command)];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var info = context.JsonTypeInfo;
        if ((Nullable.GetUnderlyingType(info.Type) ?? info.Type) is { IsEnum: true } enumeration)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetNames(enumeration).Select(name => (JsonNode)name)];
            (schema.Metadata ??= new Dictionary<string, object>())[Enumeration] = enumeration.Name;
        }
        // An object's schema, whether it is an answer's or a request's root or the type of a property of one.
        else if (info.Kind == JsonTypeInfoKind.Object && IsOurs(info.Type))
        {
            var command = Commands.Contains(info.Type) || info.Type.IsDefined(typeof(RequestBodyAttribute), false);
            (schema.Metadata ??= new Dictionary<string, object>())[NullableProperties] =
                info.Properties.Where(p => MayBeNull(p, command)).Select(p => p.Name).ToHashSet();
            schema.Required = command
                ? info.Properties.Where(IsRequiredField).Select(p => p.Name).ToHashSet()
                : info.Properties.Select(p => p.Name).ToHashSet();
        }
        return Task.CompletedTask;
    }

    private static bool IsOurs(Type type) => type.Assembly.GetName().Name?.StartsWith("Complaints.", StringComparison.Ordinal) == true;

    /// <summary>A command's parameter without a default: its validation refuses the command without it.</summary>
    private static bool IsRequiredField(JsonPropertyInfo property) => property.AssociatedParameter is { HasDefaultValue: false };

    private static bool MayBeNull(JsonPropertyInfo property, bool command) =>
        !(command && IsRequiredField(property))
        && property.PropertyType != typeof(object)
        && (Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && (command ? property.IsSetNullable : property.IsGetNullable)));
}

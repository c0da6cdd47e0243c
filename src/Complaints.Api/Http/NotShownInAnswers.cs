using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Complaints.Projections.Complaints;

namespace Complaints.Api.Http;

/// <summary>
/// State a stored document keeps for its projection ([NotShown]) stays out of every answer and out of the API's
/// description: the store serialises it, the HTTP side does not.
/// </summary>
public static class NotShownInAnswers
{
    public static void Apply(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Kind != JsonTypeInfoKind.Object) return;
            for (var i = info.Properties.Count - 1; i >= 0; i--)
                if (info.Properties[i].AttributeProvider?.IsDefined(typeof(NotShownAttribute), inherit: false) == true)
                    info.Properties.RemoveAt(i);
        });
}

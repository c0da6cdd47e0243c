using Complaints.Api.ApiReference;
using Wolverine.Http;

namespace Complaints.Api.Operations;

/// <summary>
/// Wolverine's endpoints over the dead letters (messages that failed for good), for administrators, named and described
/// for the API reference.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string Prefix = "/api/admin/dead-letters";

    private static readonly Dictionary<(string Method, string Route), (string Name, string Summary, string Description)> Described = new()
    {
        [("POST", Prefix)] = ("FindDeadLetters", "Find dead letters",
            "The dead letters that match the filter (message type, exception type, when it failed), a page at a time."),
        [("POST", Prefix + "/replay")] = ("ReplayDeadLetters", "Replay dead letters",
            "Sends the dead letters with these ids back to their queue, to be handled again."),
        [("DELETE", Prefix)] = ("DiscardDeadLetters", "Discard dead letters", "Deletes the dead letters with these ids."),
    };

    public static void MapDeadLetterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapDeadLettersEndpoints(Prefix)
            .RequireAuthorization(Policies.Administer)
            .WithTags(Capabilities.Operations)
            .WithMetadata(new ProblemAnswerAttribute(StatusCodes.Status400BadRequest, "The body cannot be read."));
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var method = endpoint.Metadata.OfType<HttpMethodMetadata>().SingleOrDefault()?.HttpMethods.SingleOrDefault();
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText?.TrimEnd('/');
            if (method is null || route is null || !Described.TryGetValue((method, route), out var described)) return;
            endpoint.Metadata.Add(new EndpointNameMetadata(described.Name));
            endpoint.Metadata.Add(new EndpointSummaryAttribute(described.Summary));
            endpoint.Metadata.Add(new EndpointDescriptionAttribute(described.Description));
        });
    }
}

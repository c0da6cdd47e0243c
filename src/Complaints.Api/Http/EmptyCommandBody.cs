using Microsoft.AspNetCore.Http.Features;

namespace Complaints.Api.Http;

/// <summary>
/// Commands such as accept, withdraw or archive need no fields, so a client may post them without a body.
/// An empty body on a complaint command is read as an empty JSON object.
/// </summary>
public static class EmptyCommandBody
{
    public static IApplicationBuilder UseEmptyCommandBodyAsJsonObject(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method)
            && request.Path.StartsWithSegments("/api/complaints")
            && request.ContentLength is null or 0
            && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true))
        {
            request.Body = new MemoryStream("{}"u8.ToArray());
            request.ContentLength = 2;
            request.ContentType = "application/json";
            // The server marks a request sent without a body as one that cannot have any, and endpoints then read none.
            http.Features.Set<IHttpRequestBodyDetectionFeature>(HasBody.Instance);
        }
        await next(http);
    });

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public static readonly HasBody Instance = new();

        public bool CanHaveBody => true;
    }
}

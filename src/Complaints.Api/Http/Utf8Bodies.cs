using Microsoft.Net.Http.Headers;

namespace Complaints.Api.Http;

/// <summary>
/// JSON travels in UTF-8 (RFC 8259), and that is the one charset a request may declare for its body: any other (utf-7,
/// an unknown name, an empty one) is 415 with problem details, before an endpoint tries to decode the body with it. A
/// charset that names UTF-8 in a form the body readers do not take (quoted) is passed on as plain utf-8.
/// </summary>
public static class Utf8Bodies
{
    private const string Utf8 = "utf-8";

    public static IApplicationBuilder UseUtf8BodiesOnly(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var contentType) && contentType.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(contentType.Charset).Trim();
            if (!charset.Equals(Utf8, StringComparison.OrdinalIgnoreCase))
                throw new BadHttpRequestException(
                    $"Request bodies are JSON in UTF-8; charset '{(charset.Length > 40 ? charset.Value![..40] + "…" : charset)}' is not taken (send charset=utf-8, or none).",
                    StatusCodes.Status415UnsupportedMediaType);
            if (!contentType.Charset.Equals(Utf8, StringComparison.OrdinalIgnoreCase))
            {
                contentType.Charset = Utf8;
                request.ContentType = contentType.ToString();
            }
        }
        await next(http);
    });
}

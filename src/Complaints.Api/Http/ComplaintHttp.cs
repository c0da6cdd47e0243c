using System.Globalization;
using Complaints.Projections.Complaints;
using Microsoft.Net.Http.Headers;

namespace Complaints.Api.Http;

/// <summary>The conventions every complaint endpoint shares: the acting user, versions as ETags.</summary>
public static class ComplaintHttp
{
    /// <summary>The acting user, recorded on every event: the subject of the caller's token.</summary>
    public static string ActingUser(HttpContext http) => http.User.ActingUser();

    /// <summary>A body of JSON null reaches the endpoint as no command at all.</summary>
    public static T RequireBody<T>(T? command) where T : class =>
        command ?? throw new BadRequest("The request body must be a JSON object with the command's fields, not null.");

    /// <summary>The version named by If-Match ("7", W/"7" or 7), or null when absent or "*".</summary>
    public static long? ExpectedVersion(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0 || value == "*") return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new BadRequest($"If-Match must name a version as an ETag such as \"3\", not {request.Headers.IfMatch}.");
    }

    public static string ETag(long version) => $"\"{version}\"";

    public static IResult Details(HttpContext http, ComplaintDetails details)
    {
        http.Response.Headers[HeaderNames.ETag] = ETag(details.Version);
        return Results.Ok(details);
    }
}

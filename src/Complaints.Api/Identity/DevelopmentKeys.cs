using System.Net;

namespace Complaints.Api.Identity;

/// <summary>
/// The development signing key and contact-key secret are in the source, so anyone can sign a token with them or compute a
/// complainant's key. They stand in for configured secrets only when asked for (Complaints:DevelopmentKeys=true) and only
/// while every address the API listens on is loopback, so a machine reachable from elsewhere never takes them. Any other
/// start without configured secrets is refused before the API answers anything.
/// </summary>
public static class DevelopmentKeys
{
    public const string Switch = "Complaints:DevelopmentKeys";

    /// <summary>Why the development keys may not stand in for <paramref name="missing"/>; null when they may.</summary>
    public static string? Refusal(IConfiguration configuration, string missing)
    {
        if (!configuration.GetValue(Switch, false))
            return $"{missing} is not configured. Configure it (see docs/security.md), or, on a developer's machine listening on " +
                   $"loopback only, set {Switch}=true to use the development keys.";
        if (NotLoopback(configuration) is { } address)
            return $"{missing} is not configured, and the development keys are only for an API listening on loopback, not on " +
                   $"'{address}'. Configure it (see docs/security.md), or listen on 127.0.0.1.";
        return null;
    }

    /// <summary>
    /// The first address the server is configured to listen on that is not loopback: from urls (ASPNETCORE_URLS or
    /// --urls), from http_ports and https_ports (which listen on every interface), and from Kestrel's endpoints. None
    /// configured means Kestrel's default, localhost.
    /// </summary>
    public static string? NotLoopback(IConfiguration configuration)
    {
        foreach (var ports in new[] { configuration["http_ports"], configuration["https_ports"] })
            if (!string.IsNullOrWhiteSpace(ports)) return $"*:{ports}";
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls.FirstOrDefault(url => !IsLoopback(url));
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (*, +) are not valid URI hosts; they listen on every interface.
        var host = url.Split("://", 2) is [_, var rest] ? rest : url;
        host = host.Split('/', 2)[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Complaints.Api.Http;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. The client's own address is taken from
/// X-Forwarded-For only when the request comes from a proxy listed in Complaints:Http:KnownProxies (one hop); from
/// anyone else the header is ignored, so no caller can name itself a fresh address per request.
/// </summary>
public static class KnownProxies
{
    public static IApplicationBuilder UseForwardedHeadersFromKnownProxies(this IApplicationBuilder app)
    {
        var proxies = Read(app.ApplicationServices.GetRequiredService<IConfiguration>());
        if (proxies.Count == 0) return app;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
        return app.UseForwardedHeaders(options);
    }

    public static IReadOnlyList<IPAddress> Read(IConfiguration configuration) =>
        configuration.GetSection("Complaints:Http:KnownProxies").GetChildren().Select(p => p.Value).Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => IPAddress.TryParse(p, out var address)
                ? address
                : throw new Identity.StartRefused($"Complaints:Http:KnownProxies has '{p}', which is not an IP address."))
            .ToList();
}

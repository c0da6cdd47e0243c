using Complaints.Api.Http;
using Complaints.Api.Identity;
using Complaints.Api.Integration;

namespace Complaints.Api.Operations;

/// <summary>
/// Every secret, webhook and proxy the API is given, read once at start, so that a missing or unsafe one stops the start with its
/// reason rather than failing the first request that needs it.
/// </summary>
public static class StartupChecks
{
    public static string? Refusal(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<TokenSettings>();
            services.GetRequiredService<global::Complaints.Projections.Analytics.ComplainantKeys>();
            services.GetRequiredService<WebhookSettings>();
            KnownProxies.Read(services.GetRequiredService<IConfiguration>());
            return null;
        }
        catch (StartRefused refused)
        {
            return refused.Message;
        }
    }
}

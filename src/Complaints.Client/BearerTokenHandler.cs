using System.Net.Http.Headers;

namespace Complaints.Client;

/// <summary>
/// Sends the caller's bearer token with every request: every request under /api needs one, except the complainant's
/// own tracking lookup. Put it in front of the HttpClient given to <see cref="ComplaintsClient"/>, e.g. with
/// <c>services.AddHttpClient&lt;IComplaintsClient, ComplaintsClient&gt;().AddHttpMessageHandler(...)</c>.
/// </summary>
public sealed class BearerTokenHandler(Func<CancellationToken, ValueTask<string>> token) : DelegatingHandler
{
    /// <summary>The same token on every request.</summary>
    public BearerTokenHandler(string token) : this(_ => ValueTask.FromResult(token)) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await token(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

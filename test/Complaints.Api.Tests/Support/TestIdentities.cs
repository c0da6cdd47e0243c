using System.Text.Json;
using System.Text.Json.Nodes;
using Complaints.Api.Commanding;
using Complaints.Api.Identity;
using Complaints.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// Who acts in a scenario. A scenario names its acting user with an X-User header, and the user's name says what
/// they do: the part before the first dot names their role in the role table ("handler.li" is a handler,
/// "dispatcher.chen" a dispatcher, "service.crm" another system), and a user with several roles joins them with '+'
/// ("handler+reviewer.li"). In the test host only, a first middleware turns that into a bearer token for that user
/// with exactly those roles, signed with the development key; the API reads only the token. An /api request that names
/// no user, or a user whose name names no role, is a mistake in the test and fails it; elsewhere (health, the API's
/// description) a request without a user goes without a token. A request with its own
/// Authorization header (the role matrix) is left as it is, and one marked X-Anonymous goes without a token.
/// </summary>
public sealed class TestIdentities : IStartupFilter
{
    public const string UserHeader = "X-User";
    public const string AnonymousHeader = "X-Anonymous";

    /// <summary>
    /// The test host's identities, the given clock, and the scenario clock over it for the commands' decisions alone (the
    /// times steps are checked against): promise timers, receipts' sweep and everything else keep the given clock.
    /// </summary>
    public static void AddTo(IServiceCollection services, TimeProvider clock)
    {
        services.AddSingleton<IStartupFilter>(new TestIdentities());
        services.AddSingleton(clock);
        var scenario = new ScenarioClock(clock);
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ComplaintCommands>(provider, scenario));
    }

    /// <summary>The roles a scenario user's name gives them.</summary>
    public static string[] RolesOf(string user)
    {
        var dot = user.IndexOf('.');
        var roles = dot > 0 ? user[..dot].Split('+') : [];
        return roles.Length > 0 && roles.All(Roles.All.Contains)
            ? roles
            : throw new InvalidOperationException(
                $"The scenario user '{user}' names no role: call them role.name (handler.li), or role+role.name for several roles, with roles from {string.Join(", ", Roles.All)}");
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var tokens = app.ApplicationServices.GetRequiredService<TokenSettings>();
        app.Use(async (http, nextMiddleware) =>
        {
            var headers = http.Request.Headers;
            if (headers.Authorization.Count > 0 || headers.ContainsKey(AnonymousHeader))
            {
                await nextMiddleware(http);
                return;
            }
            var user = headers[UserHeader].ToString();
            if (user.Length == 0 && !http.Request.Path.StartsWithSegments("/api"))
            {
                await nextMiddleware(http); // health, the API's description: a caller without an account
                return;
            }
            if (user.Length == 0)
                throw new InvalidOperationException($"The scenario names no acting user: send {UserHeader}: role.name, e.g. auditor.zhou");
            var roles = RolesOf(user);
            headers.Authorization = "Bearer " + tokens.Issue(user, roles, TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow);
            // A trusted service may enter earlier history as it is; a person enters a step when it happens.
            ScenarioClock.EnteredAt.Value = roles.Contains(Roles.Service) ? null : await ScenarioClock.StepTime(http.Request);
            try
            {
                await nextMiddleware(http);
            }
            finally
            {
                ScenarioClock.EnteredAt.Value = null;
            }
        });
        next(app);
    };
}

/// <summary>
/// The clock the test host's commands decide by. Scenarios date their steps hours, days or years back (so that history
/// keeps a known order and the analytics known periods), which a person, entering a step now, may not do beyond a
/// quarter of an hour. So a scenario's step is entered when it happened: for the request of a step dated (at, or
/// receivedAt for a new complaint) further back than a person may date one, the decision's now is that time. Every
/// other request, a step dated within the quarter hour, and whatever runs outside a request (promise timers) keep the
/// given clock. The back-dating rule itself is tested with tokens of its own.
/// </summary>
public sealed class ScenarioClock(TimeProvider clock) : TimeProvider
{
    public static readonly AsyncLocal<DateTimeOffset?> EnteredAt = new();

    /// <summary>Bodies past this size (the size limits' tests) are not read for a step's time.</summary>
    private const int LargestBodyRead = 64 * 1024;

    public override DateTimeOffset GetUtcNow()
    {
        var now = clock.GetUtcNow();
        return EnteredAt.Value is { } entered && entered < now - ComplaintCommand.PersonBackdating ? entered : now;
    }

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    /// <summary>The time a command's JSON body dates its step, if any; the body is left to be read again.</summary>
    public static async Task<DateTimeOffset?> StepTime(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is 0 or > LargestBodyRead) return null;
        request.EnableBuffering();
        try
        {
            var buffer = new byte[LargestBodyRead + 1];
            var read = 0;
            while (read < buffer.Length && await request.Body.ReadAsync(buffer.AsMemory(read)) is > 0 and var n) read += n;
            if (read is 0 or > LargestBodyRead) return null;
            var body = JsonNode.Parse(buffer.AsSpan(0, read));
            var at = body?["at"] ?? body?["receivedAt"];
            return at?.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(at.GetValue<string>(), out var time)
                ? time
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // a malformed body is the API's to answer
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}

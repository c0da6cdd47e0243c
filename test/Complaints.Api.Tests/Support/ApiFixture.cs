using Alba;
using Microsoft.Extensions.Configuration;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Confidentiality;

[assembly: AssemblyFixture(typeof(Complaints.Api.Tests.Support.ApiFixture))]

namespace Complaints.Api.Tests.Support;

/// <summary>One API host over one fresh database for the whole assembly. Tests create complaints of their own.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The test database, for what the tests check with plain SQL.</summary>
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var connectionString = ConnectionString = await TestDatabase.Create(Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Complaints", connectionString);
            builder.UseSetting(DevelopmentKeys.Switch, "true");
            builder.UseSetting("Complaints:Http:KnownProxies:0", TrackingAuditTests.Proxy);
            foreach (var (key, value) in DistantPromises()) builder.UseSetting(key, value);
            // History entered here with a due already past waits its late-entry grace; however long the run, it never ends.
            builder.UseSetting("Complaints:Promises:LateEntryGrace", "3650.00:00:00");
            // The analytics tests compare exact figures right after the daemon catches up: no answer kept from before.
            builder.UseSetting("Complaints:Analytics:CacheSeconds", "0");
            // The report names a location of two cases or more, so that small populations show both named and other locations.
            builder.UseSetting("Complaints:Reports:LocationMinimumCases", "2");
            // The scrape test reads the libraries' metrics too.
            builder.UseSetting("Complaints:Telemetry:LibraryMetrics", "true");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<IStartupFilter>(new TestIdentities());
            });
        });
        Tokens = Host.Services.GetRequiredService<TokenSettings>();
    }

    /// <summary>
    /// Tests here date their steps freely in the past; with the real terms, promises would fall due at once and record
    /// misses under them. So every promise of this host, by default and for every configured category, falls due in ten
    /// years. The promise tests run a host of their own with real terms and a clock they drive.
    /// </summary>
    public static IEnumerable<(string Key, string Value)> DistantPromises()
    {
        var appsettings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(TestDatabase.RepositoryRoot(), "src", "Complaints.Api", "appsettings.json")).Build();
        var scopes = appsettings.GetSection("Complaints:Promises:ByCategory").GetChildren()
            .Select(c => $"Complaints:Promises:ByCategory:{c.Key}").Prepend("Complaints:Promises:Default");
        foreach (var scope in scopes)
        {
            yield return ($"{scope}:FirstResponseWithin", "3650.00:00:00");
            yield return ($"{scope}:ResolutionWithin", "3650.00:00:00");
            yield return ($"{scope}:FollowUpFrom", "3649.00:00:00");
            yield return ($"{scope}:FollowUpWithin", "3650.00:00:00");
            yield return ($"{scope}:ReReviewWithin", "3650.00:00:00");
            yield return ($"{scope}:ComplainantReplyWithin", "3650.00:00:00");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }


    public const string UserHeader = TestIdentities.UserHeader;
    public const string AnonymousHeader = TestIdentities.AnonymousHeader;

    public TokenSettings Tokens { get; private set; } = null!;

    public string Token(string user, params string[] roles) => Tokens.Issue(user, roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
}

/// <summary>
/// Scenarios name their acting user with an X-User header (else they act as "test.user"); in the test host only,
/// a first middleware turns it into a bearer token for that user carrying every role, signed with the development
/// key. The API reads only the token. A request with its own Authorization header (the role matrix) is left as it
/// is, and one marked X-Anonymous goes without a token.
/// </summary>
public sealed class TestIdentities : IStartupFilter
{
    public const string UserHeader = "X-User";
    public const string AnonymousHeader = "X-Anonymous";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var tokens = app.ApplicationServices.GetRequiredService<TokenSettings>();
        app.Use(async (http, nextMiddleware) =>
        {
            var headers = http.Request.Headers;
            if (headers.Authorization.Count == 0 && !headers.ContainsKey(AnonymousHeader))
            {
                var user = headers[UserHeader].ToString();
                headers.Authorization = "Bearer " + tokens.Issue(user.Length > 0 ? user : "test.user", Roles.All,
                    TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow);
            }
            await nextMiddleware(http);
        });
        next(app);
    };
}

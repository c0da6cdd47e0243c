using Alba;
using Microsoft.Extensions.Configuration;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wolverine;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Confidentiality;

[assembly: AssemblyFixture(typeof(Complaints.Api.Tests.Support.ApiFixture))]

namespace Complaints.Api.Tests.Support;

/// <summary>One API host over one fresh database for the whole assembly. Tests create complaints of their own.</summary>
public class ApiFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>What the host logs: its own loggers at every level, every request's line, the libraries' warnings.</summary>
    public CapturedLog Log { get; } = new();

    protected virtual string DatabaseName => Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests";

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The test database, for what the tests check with plain SQL.</summary>
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var connectionString = ConnectionString = await TestDatabase.Create(DatabaseName);
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
            // Every test reads the cases it made, most as the same user: the identities' budget has a host of its own (CallerBudgetHost).
            builder.UseSetting("Complaints:RateLimits:IdentityReads:PermitLimit", "0");
            // The report names a location of two cases or more, so that small populations show both named and other locations.
            builder.UseSetting("Complaints:Reports:LocationMinimumCases", "2");
            // The scrape test reads the libraries' metrics too.
            builder.UseSetting("Complaints:Telemetry:LibraryMetrics", "true");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                // Metrics of this host alone (see HostMeters); Wolverine names its meter after the service.
                services.AddSingleton<IMeterFactory>(_ => new HostMeters(DatabaseName));
                services.ConfigureWolverine(opts => opts.ServiceName = DatabaseName);
                TestIdentities.AddTo(services, TimeProvider.System);
                services.AddSingleton<ILoggerProvider>(Log);
                services.AddLogging(logging =>
                {
                    // Rules for this one provider: the API's own loggers at every level, and each request's line with its
                    // address; the libraries as appsettings.json has them.
                    logging.AddFilter<CapturedLog>(null, LogLevel.Information);
                    logging.AddFilter<CapturedLog>("Complaints", LogLevel.Trace);
                    logging.AddFilter<CapturedLog>("Microsoft.AspNetCore", LogLevel.Warning);
                    logging.AddFilter<CapturedLog>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
                    logging.AddFilter<CapturedLog>("Wolverine", LogLevel.Warning);
                    logging.AddFilter<CapturedLog>("Marten", LogLevel.Warning);
                });
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
/// The same host over a database of its own, for the tests of <typeparamref name="TTests"/> alone: figures they assert
/// for a period (the analytics, the monthly report) then count only the data those tests entered.
/// </summary>
public sealed class OwnDatabase<TTests> : ApiFixture
{
    protected override string DatabaseName => base.DatabaseName + "_" + typeof(TTests).Name.ToLowerInvariant();
}

using Alba;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Complaints.Api.Identity;

[assembly: AssemblyFixture(typeof(Complaints.Api.Tests.Support.ApiFixture))]

namespace Complaints.Api.Tests.Support;

/// <summary>One API host over one fresh database for the whole assembly. Tests create complaints of their own.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.Create(Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Complaints", connectionString);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<IStartupFilter>(new TestIdentities());
            });
        });
        Tokens = Host.Services.GetRequiredService<TokenSettings>();
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

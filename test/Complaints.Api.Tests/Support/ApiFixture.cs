using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

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
            builder.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

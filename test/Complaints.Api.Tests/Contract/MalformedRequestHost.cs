using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wolverine;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

/// <summary>
/// The API over a database of its own, so that everything it records and logs while the malformed requests run is theirs,
/// with the logging configuration it ships with (appsettings.json). Its log is captured twice: as the configured levels
/// write it, and, for the loggers that see a request refused, at every level.
/// </summary>
public sealed class MalformedRequestHost : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    /// <summary>What the shipped configuration writes.</summary>
    public CapturedLog Written { get; } = new();

    /// <summary>What the loggers on a refusal's way say, at every level.</summary>
    public RefusalLog Refusals { get; } = new();

    /// <summary>Complaints in each state, two of each, for the requests to aim at.</summary>
    public MalformedRequests.Targets Targets { get; private set; } = null!;

    public ForgedTokens Tokens => new(Host.Services.GetRequiredService<TokenSettings>());

    public EndpointDataSource Endpoints => Host.Services.GetRequiredService<EndpointDataSource>();

    /// <summary>Where a refusal could be logged: the API's own HTTP side, the exception handler, minimal APIs and Wolverine.Http.</summary>
    public sealed class RefusalLog : CapturedLog
    {
        public static readonly string[] Categories =
            ["Complaints.Api.Http", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.Http", "Wolverine.Http"];
    }

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_malformed");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Complaints", ConnectionString);
            builder.UseSetting(DevelopmentKeys.Switch, "true");
            foreach (var (key, value) in ApiFixture.DistantPromises()) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                TestIdentities.AddTo(services, TimeProvider.System);
                services.AddSingleton<ILoggerProvider>(Written);
                services.AddSingleton<ILoggerProvider>(Refusals);
                services.AddLogging(logging =>
                {
                    // Rules for this one provider only: the others keep the levels from appsettings.json.
                    logging.AddFilter<RefusalLog>(null, LogLevel.None);
                    foreach (var category in RefusalLog.Categories) logging.AddFilter<RefusalLog>(category, LogLevel.Trace);
                });
            });
        });
        Targets = await CasesInEveryState();
    }

    private async Task<MalformedRequests.Targets> CasesInEveryState()
    {
        var api = new ComplaintsApi(Host, "service.fuzz-setup");
        object[] resolve = [new { remedy = "Explanation", description = "explained", reply = "We explained the bill." }];
        object[] assign = [new { handler = "handler.li", department = "Property Maintenance" }];
        (string Action, object? Body)[][] states =
        [
            [],
            [("accept", null)],
            [("accept", null), ("assign", assign[0])],
            [("accept", null), ("assign", assign[0]), ("first-response", new { note = "on site" })],
            [("accept", null), ("resolve", resolve[0])],
            [("accept", null), ("mediation", new { eligible = true, reason = "a dispute between neighbours" })],
            [("accept", null), ("resolve", resolve[0]), ("follow-up", new { satisfied = false, score = 2 })],
            [("withdraw", null)],
            [("withdraw", null), ("archive", null)],
        ];
        var complaints = new List<Guid>();
        var trackingNumbers = new List<string>();
        foreach (var steps in states.Concat(states))
        {
            var acknowledgement = await api.Receive();
            var id = Guid.Parse(Text(acknowledgement["id"]));
            foreach (var (action, body) in steps) await api.Do(id, action, body);
            complaints.Add(id);
            trackingNumbers.Add(Text(acknowledgement["trackingNumber"]));
        }
        return new MalformedRequests.Targets(complaints, trackingNumbers, new Dictionary<string, string[]>
        {
            // Values the document types as plain strings; the well-formed request needs real ones.
            ["trackingNumber"] = [.. trackingNumbers],
            ["code"] = ["8000"],
            ["month"] = ["2026-03", "2026-02"],
            ["name"] = ["ComplaintAnalytics"],
            ["status"] = ["Received", "Resolved"],
            ["channel"] = ["Phone", "Email"],
            ["category"] = ["Noise", "Property maintenance"],
            ["handler"] = ["handler.li"],
            ["department"] = ["Property Maintenance"],
            ["overdue"] = ["true", "false"],
            ["followUpDue"] = ["true", "false"],
            ["receivedFrom"] = ["2026-01-01"], ["from"] = ["2026-01-01"],
            ["receivedTo"] = ["2026-12-31"], ["to"] = ["2026-12-31"],
            ["by"] = ["category", "channel"],
            ["format"] = ["csv", "html"],
            ["sort"] = ["-receivedAt"],
            ["version"] = ["1", "2"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

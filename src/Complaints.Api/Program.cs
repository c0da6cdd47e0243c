using Complaints.Api;
using Complaints.Api.ApiReference;
using Complaints.Api.Complaints;
using Complaints.Api.Http;
using Complaints.Api.Operations;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);
// A command of the command line prints its own output; the host's logs only with --verbose.
var quietCommand = Complaints.Api.CommandLine.CommandLineOutput.IsQuiet(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(services => ComplaintPoliciesConfiguration.Read(services.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<Complaints.Api.Commanding.ComplaintCommands>();
builder.Services.AddSingleton(services => Complaints.Api.Commanding.ReceiptKeeping.Read(services.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<Complaints.Api.Commanding.ReceiptSweep>();
builder.Services.AddSingleton<ComplaintCommandHandling>();
builder.Services.AddSingleton<Complaints.Api.Messaging.QueueSenders>();
builder.Services.AddSingleton<Complaints.Api.Confidentiality.PersonalDataErasure>();
builder.Services.AddSingleton(services => Complaints.Api.Integration.WebhookSettings.Read(services.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<Complaints.Api.Commanding.ComplaintPublications>();
// A webhook that answers with a redirect has not taken the delivery: it is tried again, never sent on elsewhere.
builder.Services.AddHttpClient(Complaints.Api.Integration.WebhookDeliveryHandler.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
builder.Services.AddWolverineExtension<Complaints.Api.Messaging.ComplaintMessaging>();
builder.Services.AddSingleton<Complaints.Api.Analytics.AnalyticsDatabase>();

builder.Services.AddSingleton(ContactKeys);
builder.Services.AddMarten(services => ComplaintStoreOptions.Create(DatabaseConnection.Require(services.GetRequiredService<IConfiguration>()),
        services.GetRequiredService<Complaints.Projections.Analytics.ComplainantKeys>()))
    .UseLightweightSessions()
    .AddAsyncDaemon(DaemonMode.HotCold)
    .IntegrateWithWolverine();
builder.Services.AddSingleton<Complaints.Api.Auditing.EventChain>();
builder.Services.AddSingleton<Complaints.Api.Auditing.AuditWriter>();
builder.Services.AddSingleton<Complaints.Api.Complaints.IdentityReads>();
builder.Services.AddHostedService<Complaints.Api.Auditing.EventChainInstaller>(); // after the store schema (StoreSchema), which creates the events table
builder.Services.AddHostedService<Complaints.Api.Operations.FoldedDocumentsUpgrade>();
builder.Services.AddHostedService(services => services.GetRequiredService<Complaints.Api.Commanding.ReceiptSweep>());

builder.Host.UseWolverine(opts =>
{
    opts.ApplicationAssembly = typeof(Program).Assembly;
});
// The store's schema before every other hosted service, Wolverine's and the daemon's included.
StoreSchema.AddFirst(builder.Services);

builder.Services.AddWolverineHttp();
// A body the command endpoints cannot read is a 400 with problem details, in every environment.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o =>
{
    o.SerializerOptions.Converters.Add(new StrictEnumConverter());
    // Numbers are numbers: "5" is not a score, as the API's description says.
    o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
    NotShownInAnswers.Apply(o.SerializerOptions);
});

builder.AddComplaintAuthentication();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemDetailsWhateverTheAccept>(); // after the default writer
builder.Services.AddExceptionHandler<ProblemDetailsForExceptions>();
// A refusal the handler answered is the client's error: the handler logs it, once and at Debug. The middleware logs (at
// Error, with the stack trace) only what no handler took: a server error. .NET 10's default, stated so that it stays.
builder.Services.Configure<ExceptionHandlerOptions>(o =>
    o.SuppressDiagnosticsCallback = c => c.ExceptionHandledBy == Microsoft.AspNetCore.Diagnostics.ExceptionHandledType.ExceptionHandlerService);
builder.Services.AddComplaintsApiReference();
builder.Services.AddSingleton<Complaints.Api.Analytics.AnalyticsAnswers>();
builder.Services.AddComplaintHealthChecks();
builder.AddComplaintTelemetry();
Complaints.Api.Tracking.TrackComplaintEndpoint.AddComplainantTrackingRateLimit(builder.Services);
builder.Services.AddComplaintRateLimits();

if (quietCommand) builder.Logging.ClearProviders();
var app = builder.Build();
// Refused before anything listens or answers: one line, not a 500 on the first request.
if (StartupChecks.Refusal(app.Services) is { } refusal)
{
    Console.Error.WriteLine($"Complaints API not started: {refusal}");
    return 1;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseForwardedHeadersFromKnownProxies();
app.UseEmptyCommandBodyAsJsonObject();
app.UseAuthentication();
app.UseAuthorization();
app.UseBodyLimit(); // after the token: a caller without one is told that first
app.UseAdminActionAudit();
app.UseUtf8BodiesOnly();
app.UseRateLimiter();
app.MapComplaintsApiReference();
app.MapWolverineEndpoints(http => http.RejectUnparseableQueryValues = true);
app.MapComplaintCommands();
Complaints.Api.Tracking.TrackComplaintEndpoint.MapComplainantTracking(app);
app.MapComplaintHealthChecks();
app.MapComplaintMetrics();
app.MapDeadLetterEndpoints();
app.MapAdminActions();

return quietCommand
    ? await Complaints.Api.CommandLine.CommandLineOutput.RunQuietly(app, args)
    : await app.RunJasperFxCommands(args);

public partial class Program
{
    /// <summary>The secret that keys complainants' contacts in the analytics; the development one only as DevelopmentKeys allows.</summary>
    internal static Complaints.Projections.Analytics.ComplainantKeys ContactKeys(IServiceProvider services)
    {
        const string name = "Complaints:Analytics:ContactKeySecret";
        var configuration = services.GetRequiredService<IConfiguration>();
        var secret = configuration[name];
        if (string.IsNullOrWhiteSpace(secret) || secret == Complaints.Projections.Analytics.ComplainantKeys.DevelopmentSecret)
        {
            if (Complaints.Api.Identity.DevelopmentKeys.Refusal(configuration, name) is { } refusal)
                throw new Complaints.Api.Identity.StartRefused(refusal);
            secret = Complaints.Projections.Analytics.ComplainantKeys.DevelopmentSecret;
        }
        return new(secret);
    }
}

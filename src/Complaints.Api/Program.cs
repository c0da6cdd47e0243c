using Complaints.Api;
using Complaints.Api.Complaints.Receiving;
using Complaints.Api.Http;
using Complaints.Api.Operations;
using Complaints.Projections;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Scalar.AspNetCore;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(services => ComplaintPoliciesConfiguration.Read(services.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<ComplaintCommandHandling>();
builder.Services.AddSingleton<Complaints.Api.Analytics.AnalyticsDatabase>();

builder.Services.AddMarten(services =>
    {
        var opts = new StoreOptions();
        opts.Connection(DatabaseConnection.Require(services.GetRequiredService<IConfiguration>()));
        opts.DatabaseSchemaName = "complaints";
        opts.Events.DatabaseSchemaName = "complaints";
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.AddComplaints();
        opts.Schema.For<ReceivedUnderIdempotencyKey>();
        return opts;
    })
    .UseLightweightSessions()
    .AddAsyncDaemon(DaemonMode.HotCold)
    .ApplyAllDatabaseChangesOnStartup()
    .IntegrateWithWolverine();

builder.Host.UseWolverine(opts =>
{
    opts.ApplicationAssembly = typeof(Program).Assembly;
});

builder.Services.AddWolverineHttp();
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o =>
    o.SerializerOptions.Converters.Add(new StrictEnumConverter()));

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsForExceptions>();
builder.Services.AddOpenApi();
builder.Services.AddComplaintHealthChecks();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseEmptyCommandBodyAsJsonObject();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapWolverineEndpoints();
app.MapComplaintHealthChecks();

return await app.RunJasperFxCommands(args);

public partial class Program;

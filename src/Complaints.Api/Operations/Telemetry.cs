using Complaints.Api.Commanding;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Complaints.Api.Operations;

/// <summary>
/// OpenTelemetry over what ASP.NET Core, Wolverine, Marten and Npgsql already emit, and the API's own counters and gauges.
/// Metrics are always kept, for the Prometheus scrape at /metrics; traces and metrics are exported over OTLP only when an
/// endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT, or Complaints:Telemetry:OtlpEndpoint), so that nothing is needed by
/// default and nothing is traced for no one.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>The activity sources and meters of the libraries, by the names they emit under.</summary>
    private static readonly string[] Sources = ["Wolverine", "Marten", "Npgsql"];

    private static readonly string[] Meters = [CommandMetrics.MeterName, "Wolverine*", "Marten", "Npgsql"];

    public static WebApplicationBuilder AddComplaintTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CommandMetrics>();
        builder.Services.AddSingleton<OperationalMetrics>();

        var configuration = builder.Configuration;
        var endpoint = configuration["Complaints:Telemetry:OtlpEndpoint"];
        var otlp = !string.IsNullOrWhiteSpace(endpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions options)
        {
            if (!string.IsNullOrWhiteSpace(endpoint)) options.Endpoint = new Uri(endpoint);
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "complaints-api"))
            .WithMetrics(metrics =>
            {
                // Made when the host starts, so that the API's instruments exist from the start (the counters at zero).
                metrics.AddInstrumentation(services => services.GetRequiredService<CommandMetrics>())
                    .AddInstrumentation(services => services.GetRequiredService<OperationalMetrics>())
                    .AddMeter(CommandMetrics.MeterName)
                    // Each scrape reads the figures afresh (see MapComplaintMetrics): no answer kept from an earlier one.
                    .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                // The libraries' own metrics (every request's, message's and query's histograms) cost CPU on every command:
                // kept when asked for (Complaints:Telemetry:LibraryMetrics) or when they are exported.
                if (otlp || configuration.GetValue("Complaints:Telemetry:LibraryMetrics", false))
                    metrics.AddAspNetCoreInstrumentation().AddMeter(Meters);
                if (otlp) metrics.AddOtlpExporter(Otlp);
            });
        if (otlp)
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(Sources).AddOtlpExporter(Otlp));
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint. It gives the counts of commands and of service promises missed and the figures read
    /// from the database, besides the libraries' own metrics. It is for the role admin, unless
    /// Complaints:Metrics:AnonymousPort names a port: then it answers without a token, on that port only.
    /// </summary>
    public static void MapComplaintMetrics(this WebApplication app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null,
            configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                await http.RequestServices.GetRequiredService<OperationalMetrics>().Refresh(http.RequestAborted);
                await next(http);
            }), optionsName: null);
        if (app.Configuration.GetValue<int?>("Complaints:Metrics:AnonymousPort") is { } port)
            scrape.RequireHost($"*:{port}").AllowAnonymous();
        else
            scrape.RequireAuthorization(Policies.Administer);
    }
}

using Complaints.Api.Identity;
using Complaints.Projections.Analytics;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Complaints.Api.Operations;

/// <summary>
/// Ready means PostgreSQL answers (AspNetCore.HealthChecks.NpgSql's check) and the daemon runs the analytics without
/// falling far behind. Both are cheap at any size of the store, so that polling readiness costs the database nothing.
/// </summary>
public static class HealthChecks
{
    public const string Ready = "ready";
    public const string Database = "database";
    public const string ProjectionDaemon = "projection-daemon";

    public static IServiceCollection AddComplaintHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddNpgSql(provider => DatabaseConnection.Require(provider.GetRequiredService<IConfiguration>()), name: Database, tags: [Ready],
                timeout: TimeSpan.FromSeconds(5))
            .AddCheck<DaemonHealthCheck>(ProjectionDaemon, tags: [Ready]);
        return services;
    }

    public static void MapComplaintHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            // Anyone (a load balancer, an orchestrator) reads the status; what each check found is for the role admin.
            ResponseWriter = async (http, report) =>
            {
                http.Response.ContentType = "application/json";
                if (!http.User.IsInRole(Roles.Admin))
                {
                    await http.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
                    return;
                }
                await http.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
                });
            },
        }).AllowAnonymous();
    }
}

/// <summary>
/// The projection daemon runs the analytics without falling far behind: unhealthy when an agent is paused after errors,
/// degraded when the analytics trail the store by more than Complaints:Health:MaxProjectionLag events. Marten's own async
/// daemon check does not see this API's analytics projection (it reports healthy however far they trail), so this stays.
/// </summary>
public sealed class DaemonHealthCheck(IDocumentStore store, IProjectionCoordinator coordinator, IConfiguration configuration,
    ILogger<DaemonHealthCheck> log) : IHealthCheck
{
    /// <summary>Events the analytics may trail the store by before the API reports itself degraded.</summary>
    public const long DefaultMaxLag = 10_000;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var daemon = coordinator.DaemonForMainDatabase();
            if (daemon.HasAnyPaused()) return HealthCheckResult.Unhealthy("a projection agent is paused after errors");
            // The highest sequence and the progress rows: no count of a whole table, whatever the store's size.
            var lag = (await ProjectionStatusEndpoints.Lags(store, ct)).Single(p => p.Projection == ComplaintAnalyticsProjection.ProjectionName).Lag;
            return lag > configuration.GetValue("Complaints:Health:MaxProjectionLag", DefaultMaxLag)
                ? HealthCheckResult.Degraded($"analytics trail the event store by {lag} events")
                : HealthCheckResult.Healthy($"analytics trail the event store by {lag} events");
        }
        catch (Exception e)
        {
            // The reason goes to the log, not into an answer.
            log.LogWarning(e, "The readiness check could not reach the projection daemon");
            return HealthCheckResult.Unhealthy("the projection daemon cannot be reached");
        }
    }
}

using Marten;

namespace Complaints.Api.Operations;

/// <summary>
/// Brings the store's schema up to date before anything else of the host starts. On a new database, parts of the host that
/// start alongside (the projection daemon, the message store) may create some of the same tables meanwhile; the change
/// that then finds one already there is worked out again against what now exists, until nothing is left to apply.
/// </summary>
public sealed class StoreSchema(IDocumentStore store, ILogger<StoreSchema> log) : IHostedService
{
    private const int Attempts = 5;

    /// <summary>First among the hosted services, so that it has finished before the others start.</summary>
    public static void AddFirst(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreSchema>());

    public async Task StartAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
                return;
            }
            catch (Exception e) when (attempt < Attempts && StoreErrors.IsCreatedMeanwhile(e))
            {
                log.LogInformation("Part of the store's schema was created meanwhile by another start; applying what is left");
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

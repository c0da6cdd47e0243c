using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace Complaints.Api.Operations;

/// <summary>
/// The write model and the case details are folded documents: a store written by an earlier version keeps them in the
/// shape that version folded. On start, before the API answers anything, documents of an older shape are folded afresh
/// from the events (the projection is rebuilt), so that no decision is made on a complaint read from a stale shape.
/// Each document names the field that its current shape has and every older one lacks.
/// </summary>
public sealed class FoldedDocumentsUpgrade(IDocumentStore store, ILogger<FoldedDocumentsUpgrade> log) : IHostedService
{
    /// <summary>The inline projections, their documents' tables, and the field of the current shape.</summary>
    private static readonly (string Projection, Type Document, string Field)[] Folded =
    [
        ("Complaint", typeof(Domain.Complaint), "lastEventAt"),
        ("ComplaintDetails", typeof(Projections.Complaints.ComplaintDetails), "case"),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var (projection, document, field) in Folded)
        {
            var table = store.Options.Schema.For(document);
            await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            // One document tells the shape: a version writes all of them, and the rebuild below rewrites all of them. Looking
            // further would read the whole table at every start.
            await using var stale = new NpgsqlCommand($"select coalesce((select not (data ? $1) from {table} limit 1), false)", connection);
            stale.Parameters.Add(new NpgsqlParameter { Value = field });
            if (await stale.ExecuteScalarAsync(ct) is not true) continue;

            log.LogWarning("Stored {Projection} documents are of an older shape; folding them afresh from the events", projection);
            using var daemon = await store.BuildProjectionDaemonAsync();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromHours(1), ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

using Marten;
using Npgsql;

namespace Complaints.Api.Importing;

/// <summary>
/// What a dry run would have stored, so that a row repeated further on in the file is still found without holding
/// every id in memory: a temporary table of the connection held for the run, dropped with it. It reads the store's
/// streams (the rows imported before) and writes nothing else; on a database without the store's tables, nothing is
/// imported yet.
/// </summary>
public sealed class DryRunLedger : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _schema;
    private readonly bool _storeExists;

    private DryRunLedger(NpgsqlConnection connection, string schema, bool storeExists)
    {
        _connection = connection;
        _schema = schema;
        _storeExists = storeExists;
    }

    public static async Task<DryRunLedger> Open(IDocumentStore store, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var schema = store.Options.Events.DatabaseSchemaName;
            await using var command = new NpgsqlCommand(
                "create temporary table dry_run_stored (id uuid primary key) on commit preserve rows; " +
                $"select to_regclass('{schema}.mt_events') is not null", connection);
            var exists = (bool)(await command.ExecuteScalarAsync(ct))!;
            return new DryRunLedger(connection, schema, exists);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The ids stored before (false) or that this dry run would have stored (true).</summary>
    public async Task<Dictionary<Guid, bool>> Known(Guid[] ids, CancellationToken ct)
    {
        var known = _storeExists
            ? (await ComplaintImporter.StartedBy(_connection, _schema, ids, null, ct)).ToDictionary(k => k.Key, _ => false)
            : [];
        await using var command = new NpgsqlCommand("select id from dry_run_stored where id = any(@ids)", _connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) known[reader.GetGuid(0)] = true;
        return known;
    }

    public async Task Note(Guid[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("insert into dry_run_stored select unnest(@ids)", _connection);
        command.Parameters.AddWithValue("ids", ids);
        await command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

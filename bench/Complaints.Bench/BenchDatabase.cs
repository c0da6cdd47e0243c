using Complaints.Api;
using Complaints.Projections.Analytics;
using System.Diagnostics;
using Complaints.Api.Complaints;
using Complaints.Projections;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Complaints.Bench;

/// <summary>
/// The database the suite runs on, with durable commits forced on every connection it and the API open
/// (synchronous_commit on, whatever the database's own default), and the Marten store set up as the API sets it up.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Schema = ComplaintStoreOptions.Schema;

    private BenchDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Connection = new NpgsqlConnectionStringBuilder(connectionString);
    }

    /// <summary>The connection string with synchronous_commit=on and a pool large enough for concurrency 64.</summary>
    public string ConnectionString { get; }
    public NpgsqlConnectionStringBuilder Connection { get; }
    public NpgsqlDataSource DataSource { get; }

    public static BenchDatabase Open(string connectionString) => new(Durable(connectionString));

    public static string Durable(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        if (!options.Contains("synchronous_commit", StringComparison.OrdinalIgnoreCase))
            builder.Options = (options + " -c synchronous_commit=on").Trim();
        if (builder.MaxPoolSize < 100) builder.MaxPoolSize = 100;
        builder.ApplicationName ??= "complaints-bench";
        return builder.ConnectionString;
    }

    /// <summary>The store exactly as the API builds it.</summary>
    public static StoreOptions StoreOptions(string connectionString) =>
        ComplaintStoreOptions.Create(connectionString, new ComplainantKeys(ComplainantKeys.DevelopmentSecret));

    public DocumentStore CreateStore() => new(StoreOptions(ConnectionString));

    /// <summary>Creates the database named in the connection string when it is missing (needs CREATEDB).</summary>
    public static async Task EnsureExists(string connectionString, bool recreate = false)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        if (recreate)
        {
            await using var drop = new NpgsqlCommand($"drop database if exists \"{target.Database}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection) { Parameters = { new() { Value = target.Database } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{target.Database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    public async Task<T?> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task Execute(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<object?[]>> Rows(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The server settings the run used, as the issue asks them printed.</summary>
    public async Task<IReadOnlyList<(string Name, string Value)>> ServerSettings()
    {
        var names = new[] { "synchronous_commit", "fsync", "shared_buffers", "max_connections", "server_version" };
        var settings = new List<(string, string)>();
        foreach (var name in names) settings.Add((name, await Scalar<string>($"show {name}") ?? ""));
        settings.Add(("pg_stat_statements", await PgStatStatementsLoaded() ? "loaded" : "not loaded (add it to shared_preload_libraries to profile statements)"));
        return settings;
    }

    public async Task<bool> PgStatStatementsLoaded() =>
        (await Scalar<string>("show shared_preload_libraries") ?? "").Contains("pg_stat_statements", StringComparison.Ordinal);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>The pgbench of the server's installation, or null.</summary>
    public static string? FindPgBench()
    {
        var candidates = new List<string>();
        try
        {
            var info = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            var dir = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode == 0 && dir.Length > 0) candidates.Add(Path.Combine(dir, "pgbench"));
        }
        catch (Exception)
        {
            // no pg_config on the PATH
        }
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin", "pgbench")));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pgbench")));
        return candidates.FirstOrDefault(File.Exists);
    }
}

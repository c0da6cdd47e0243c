using System.Diagnostics;
using Npgsql;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// The real PostgreSQL the tests run against. The build passes the server as ConnectionStrings__Complaints;
/// run on its own (from an IDE, say), the project's local cluster is started through eng/postgres.sh.
/// Each test project has a database of its own, since test assemblies run in parallel.
/// </summary>
public static class TestDatabase
{
    public static async Task<string> Create(string name)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
            // Tests trade durability for speed in their own database only; the server keeps durable commits.
            await using var fast = new NpgsqlCommand($"alter database \"{name}\" set synchronous_commit = off", connection);
            await fast.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
    }

    private static string ServerConnectionString()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Complaints");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var script = Path.Combine(RepositoryRoot(), "eng", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Trim()
            : throw new InvalidOperationException($"Could not start the local PostgreSQL: {errors.Trim()}");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Complaints.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Complaints.slnx not found above " + AppContext.BaseDirectory);
    }
}

using Npgsql;

namespace Complaints.Api.Tests.Support;

/// <summary>Plain SQL against a test database, for what the tests check behind the API's back.</summary>
public static class TestSql
{
    public static async Task<int> Execute(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Open(connectionString);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of each row, as text.</summary>
    public static async Task<List<string>> Lines(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Open(connectionString);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return lines;
    }

    /// <summary>The first column of the first row; null when there is none.</summary>
    public static async Task<object?> Scalar(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Open(connectionString);
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}

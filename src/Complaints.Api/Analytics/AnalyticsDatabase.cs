using System.Globalization;
using Complaints.Api.Http;
using Complaints.Projections.Analytics;
using Npgsql;

namespace Complaints.Api.Analytics;

/// <summary>
/// Plain SQL over the analytics tables, so that percentiles and grouping are computed by PostgreSQL and an
/// analyst can run the same queries by hand.
/// </summary>
public sealed class AnalyticsDatabase(IConfiguration configuration) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(DatabaseConnection.Require(configuration)));

    public async Task<List<Dictionary<string, object?>>> Rows(string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken ct)
    {
        await using var command = _source.Value.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public ValueTask DisposeAsync() => _source.IsValueCreated ? _source.Value.DisposeAsync() : ValueTask.CompletedTask;
}

/// <summary>A reporting period, [from, to) in UTC; open ends reach to the first or last fact.</summary>
public sealed record Period(DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>The period as a question's key: the same instants however they were written.</summary>
    public string Key => $"{From?.UtcTicks}..{To?.UtcTicks}";

    public static Period Parse(string? from, string? to, string fromName = "from", string toName = "to") =>
        new(Instant(from, fromName), Instant(to, toName));

    private static DateTimeOffset? Instant(string? value, string name) => string.IsNullOrWhiteSpace(value)
        ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw new BadRequest($"{name} must be a date or time such as 2026-03-01 or 2026-03-01T00:00:00Z, not '{value}'.");

    public IEnumerable<(string, object?)> Parameters() => [("from", From?.UtcDateTime), ("to", To?.UtcDateTime)];

    /// <summary>The SQL condition that a time column falls in the period.</summary>
    public static string Contains(string column) =>
        $"({column} >= coalesce(@from::timestamptz, '-infinity') and {column} < coalesce(@to::timestamptz, 'infinity'))";
}

/// <summary>
/// What puts a fact in a period. Event (the default): the time the fact happened, so a follow-up counts in the month it
/// was made. Received: the receipt of its complaint, so a period's figures are those of the complaints received in it
/// (a cohort) and what became of them, whenever that happened; a breakdown by month is then by month received.
/// </summary>
public sealed record Basis
{
    public static readonly Basis Event = new("event");
    public static readonly Basis Received = new("received");
    public static readonly IReadOnlyList<Basis> All = [Event, Received];

    /// <summary>The alias of the case joined to a row of another table under <see cref="Received"/>.</summary>
    public const string Case = "rc";

    private Basis(string name) => Name = name;

    public string Name { get; }

    public static Basis Parse(string? basis) => string.IsNullOrWhiteSpace(basis)
        ? Event
        : All.SingleOrDefault(b => string.Equals(b.Name, basis.Trim(), StringComparison.OrdinalIgnoreCase))
          ?? throw new BadRequest($"basis takes {string.Join(" or ", All.Select(b => b.Name))}; not '{basis}'.");

    /// <summary>
    /// The column a row is read by: the event's own, or under <see cref="Received"/> its case's (by default the
    /// receipt of the case joined by <see cref="JoinCase"/>).
    /// </summary>
    public string Column(string eventColumn, string caseColumn = "received_at", string caseAlias = Case) =>
        this == Received ? (caseAlias.Length > 0 ? $"{caseAlias}.{caseColumn}" : caseColumn) : eventColumn;

    /// <summary>The join that gives a row of a per-event table its case under <see cref="Received"/>; none under event.</summary>
    public string JoinCase(string alias) =>
        this == Received ? $"join {AnalyticsTables.Cases} {Case} on {Case}.complaint_id = {alias}.complaint_id" : "";

    public override string ToString() => Name;
}

/// <summary>The dimensions a figure may be broken down by, each a column of the table queried.</summary>
public static class Dimensions
{
    public static IReadOnlyList<string> Parse(string? by, IReadOnlyDictionary<string, string> allowed)
    {
        if (string.IsNullOrWhiteSpace(by)) return [];
        var names = by.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !allowed.ContainsKey(n)).ToList();
        return unknown.Count > 0
            ? throw new BadRequest($"by takes {string.Join(", ", allowed.Keys)}; not {string.Join(", ", unknown)}.")
            : names.Distinct().ToList();
    }

    /// <summary>Month in UTC as yyyy-MM, used by every monthly breakdown.</summary>
    public static string Month(string column) => $"to_char({column} at time zone 'UTC', 'YYYY-MM')";
}

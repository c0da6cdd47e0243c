using System.Text.RegularExpressions;
using Complaints.Api.Tests.Support;
using Marten;
using Npgsql;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>The example queries docs/analytics.md gives analysts run as written against the analytics tables.</summary>
public sealed partial class DocumentedQueriesTests(ApiFixture fixture)
{
    [Fact]
    public async Task every_sql_example_in_the_readme_runs()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(TestDatabase.RepositoryRoot(), "docs", "analytics.md"));
        var queries = SqlBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        queries.Count.ShouldBeGreaterThanOrEqualTo(4);

        await using var connection = (NpgsqlConnection)fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        foreach (var sql in queries)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        }
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}

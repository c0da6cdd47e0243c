using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Marten;
using Npgsql;

namespace Complaints.Api.Tests.Auditing;

/// <summary>Direct access to the test database and plain GETs, for what an auditor checks behind the API's back.</summary>
public static class AuditSql
{
    public static Task<int> Execute(ApiFixture fixture, string sql, params (string Name, object Value)[] parameters) =>
        TestSql.Execute(fixture.ConnectionString, sql, parameters);

    /// <summary>Each row of the query as one line of text (its JSON), to search for what must not be there.</summary>
    public static Task<List<string>> Lines(ApiFixture fixture, string sql, params (string Name, object Value)[] parameters) =>
        TestSql.Lines(fixture.ConnectionString, sql, parameters);

    /// <summary>Every row of every table and view in the analytics schema, every column, as JSON, in a stable order.</summary>
    public static async Task<List<string>> AnalyticsDump(ApiFixture fixture, Guid? onlyComplaint = null)
    {
        var tables = await Lines(fixture,
            "select table_name from information_schema.tables where table_schema = 'analytics' and table_type in ('BASE TABLE', 'VIEW') order by 1");
        var rows = new List<string>();
        foreach (var table in tables)
        {
            var filter = onlyComplaint is null ? "" : "where complaint_id = @id";
            var parameters = onlyComplaint is null ? [] : new[] { ("id", (object)onlyComplaint.Value) };
            rows.AddRange((await Lines(fixture, $"select row_to_json(t)::text from analytics.{table} t {filter} order by 1", parameters))
                .Select(r => table + " " + r));
        }
        return rows;
    }

    /// <summary>A GET as the given user (role.name), expecting 200.</summary>
    public static async Task<JsonNode> GetJson(ApiFixture fixture, string user, string url) => JsonNode.Parse(await GetText(fixture, user, url))!;

    public static async Task<string> GetText(ApiFixture fixture, string user, string url) =>
        await (await fixture.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader(ApiFixture.UserHeader, user);
            s.StatusCodeShouldBeOk();
        })).ReadAsTextAsync();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Marten.Events;
using Npgsql;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// The projections give the rows they gave before they were read from the one fold. Golden/histories.json holds 120
/// generated histories and the rows the earlier projections made of them: the five analytics tables and the case
/// details, as the projections stood before that change, with three corrections made to them on purpose (a follow-up
/// attempt that did not reach the complainant counts as the case's last event; a mediated agreement or settlement
/// ends a pending rectification; in mediation no first response is due). The histories are appended here, projected
/// live, then the analytics are rebuilt, and every row must match both times.
/// </summary>
[Collection(nameof(AnalyticsTests))]
public sealed class RowsAsBeforeTests(OwnDatabase<RowsAsBeforeTests> fixture) : IClassFixture<OwnDatabase<RowsAsBeforeTests>>
{
    private static readonly string[] Tables = ["complaint_cases", "follow_ups", "re_reviews", "escalations", "missed_promises"];

    private static readonly Dictionary<string, string> OrderBy = new()
    {
        ["complaint_cases"] = "complaint_id", ["follow_ups"] = "complaint_id, version", ["re_reviews"] = "complaint_id, round",
        ["escalations"] = "complaint_id, version", ["missed_promises"] = "complaint_id, version",
    };

    [Fact]
    public async Task every_projection_gives_the_rows_it_gave_before_live_and_after_a_rebuild()
    {
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(GoldenPath()))!;
        var ids = await Append(golden["streams"]!.AsArray());
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await ShouldMatch(golden, ids, "projected live");

        (await fixture.Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/projections/ComplaintAnalytics/rebuild");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.root");
            s.StatusCodeShouldBeOk();
        })).Context.Response.StatusCode.ShouldBe(200);
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await ShouldMatch(golden, ids, "rebuilt");

        // The details as a rebuild makes them: folded afresh from the events.
        await using var session = fixture.Store.QuerySession();
        var expected = golden["complaint_details"]!.AsArray().ToDictionary(d => Guid.Parse(d!["data"]!["id"]!.GetValue<string>()), d => d!["data"]!.AsObject());
        foreach (var id in ids)
        {
            var folded = await session.Events.AggregateStreamAsync<ComplaintDetails>(id);
            ShouldHaveFieldsOf(JsonSerializer.SerializeToNode(folded, StoredJson)!.AsObject(), expected[id], $"details of {id} folded afresh");
        }
    }

    /// <summary>
    /// The same histories under other ids and tracking numbers, appended a step of every case at a time, each round in a
    /// transaction of its own: every case spreads over many of the projection's batches, so each batch starts from the
    /// case's fold as an earlier batch left it (kept in memory, or folded again from the events), and the rows are the same.
    /// </summary>
    [Fact]
    public async Task cases_spread_over_many_batches_give_the_same_rows()
    {
        var text = await File.ReadAllTextAsync(GoldenPath());
        // New ids in the same order as the old ones, so that the rows sort as the golden rows do.
        var old = JsonNode.Parse(text)!["streams"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var fresh = old.Select(_ => Guid.NewGuid().ToString()).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < old.Count; i++) text = text.Replace(old[i], fresh[i]);
        var golden = JsonNode.Parse(text.Replace("\"C-", "\"S-"))!;

        var streams = golden["streams"]!.AsArray().Select(s => (Id: Guid.Parse(s!["id"]!.GetValue<string>()), Events: Events(s["events"]!.AsArray()))).ToList();
        for (var round = 0; streams.Any(s => s.Events.Length > round); round++)
        {
            await using var session = fixture.Store.LightweightSession();
            foreach (var (id, events) in streams.Where(s => s.Events.Length > round))
                if (round == 0) session.Events.StartStream(id, events[0]);
                // With the version it brings the stream to, as a command appends (the details carry it).
                else session.Events.Append(id, round + 1, events[round]);
            await session.SaveChangesAsync();
        }
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await ShouldMatch(golden, [.. streams.Select(s => s.Id)], "spread over batches");
    }

    private static string GoldenPath() =>
        Path.Combine(TestDatabase.RepositoryRoot(), "test", "Complaints.Api.Tests", "Analytics", "Golden", "histories.json");

    private static object[] Events(JsonArray events) => [.. events.Select(e =>
        e!["data"].Deserialize(typeof(ComplaintReceived).Assembly.GetType($"Complaints.Domain.{e["type"]!.GetValue<string>()}", throwOnError: true)!,
            JsonSerializerOptions.Web)!)];

    /// <summary>The details' JSON as the golden rows have it: camelCase names, enums by name, every field.</summary>
    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private async Task<Guid[]> Append(JsonArray streams)
    {
        var ids = new List<Guid>();
        await using var session = fixture.Store.LightweightSession();
        foreach (var stream in streams)
        {
            var id = Guid.Parse(stream!["id"]!.GetValue<string>());
            session.Events.StartStream(id, Events(stream["events"]!.AsArray()));
            ids.Add(id);
        }
        await session.SaveChangesAsync();
        return [.. ids];
    }

    private async Task ShouldMatch(JsonNode golden, Guid[] ids, string when)
    {
        foreach (var table in Tables)
        {
            var rows = await Rows($"select * from analytics.{table} where complaint_id = any($1) order by {OrderBy[table]}", ids);
            var expected = golden[table]!.AsArray();
            rows.Count.ShouldBe(expected.Count, $"{table} rows, {when}");
            for (var i = 0; i < rows.Count; i++)
                JsonNode.DeepEquals(WithoutColumnsAddedSince(table, rows[i]!.AsObject(), expected[i]!.AsObject()), expected[i])
                    .ShouldBeTrue($"{table} row {i}, {when}:\n  now    {rows[i]!.ToJsonString()}\n  before {expected[i]!.ToJsonString()}");
        }
        // The details as stored and loaded, every field they show: the store keeps the fold and reads the rest from it.
        await using var session = fixture.Store.QuerySession();
        var details = (await session.LoadManyAsync<ComplaintDetails>(ids)).OrderBy(d => d.Id).ToList();
        var expectedDetails = golden["complaint_details"]!.AsArray();
        details.Count.ShouldBe(expectedDetails.Count);
        for (var i = 0; i < details.Count; i++)
            ShouldHaveFieldsOf(JsonSerializer.SerializeToNode(details[i], StoredJson)!.AsObject(), expectedDetails[i]!["data"]!.AsObject(), $"details {i}, {when}");
    }

    /// <summary>
    /// The row without the case columns added since the golden rows were made, each of which must hold its declared default
    /// for these histories: source_anomalies is 0 for a history with no data-quality note.
    /// </summary>
    private static JsonObject WithoutColumnsAddedSince(string table, JsonObject now, JsonObject before)
    {
        if (table != "complaint_cases") return now;
        var row = now.DeepClone().AsObject();
        foreach (var added in now.Select(c => c.Key).Where(c => !before.ContainsKey(c)).ToList())
        {
            var column = global::Complaints.Projections.Analytics.AnalyticsTables.CaseColumns.Single(c => c.Name == added);
            row[added]?.ToJsonString().ShouldBe(column.Default, $"{added}, added since the golden rows, holds its default");
            row.Remove(added);
        }
        return row;
    }

    /// <summary>Every field the details had before has the same value now; the details may carry more (the fold they are read from).</summary>
    private static void ShouldHaveFieldsOf(JsonObject now, JsonObject before, string what)
    {
        foreach (var (name, value) in before)
            JsonNode.DeepEquals(now[name], value).ShouldBeTrue($"{what}: {name} is {now[name]?.ToJsonString() ?? "missing"}, was {value?.ToJsonString()}");
    }

    private async Task<JsonArray> Rows(string sql, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // Times as the golden rows were written: in UTC.
        await using (var zone = new NpgsqlCommand("set time zone 'UTC'", connection)) await zone.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand($"select coalesce(json_agg(row_to_json(t)), '[]')::text from ({sql}) t", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!.AsArray();
    }
}

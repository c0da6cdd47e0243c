using Complaints.Api.Reports.Monthly;
using Complaints.Api.Tests.Auditing;
using Microsoft.Extensions.Configuration;
using Marten.Events;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// Analysts never need to know who complained or what they said: every analyst response, the monthly report in each
/// format and every column of every row of every analytics table are searched for everything the complainants gave
/// (name, phone, email, address, description, location, remedy sought) and everything the office wrote about them
/// (statements and their parties, findings, replies, comments, explanations). The one exception is deliberate: a location
/// shared by enough cases is named in the monthly report. The population lives in May 2017, in a database of this class's
/// own.
/// </summary>
[Collection("AnalyticsTests")]
public sealed class AnalystConfidentialityAuditTests(OwnDatabase<AnalystConfidentialityAuditTests> fixture)
    : IClassFixture<OwnDatabase<AnalystConfidentialityAuditTests>>
{
    private const string Analyst = "analyst.audit";

    private static DateTimeOffset May(int day, double hour = 9) => new DateTimeOffset(2017, 5, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private sealed record Given(string Name, string? Phone, string? Email, string Address, string Description, string Location, string Remedy);

    private static readonly Given[] Complainants =
    [
        new("Quillon Vasquez-Ardent", "0571 9182 7364", "quillon.ardent@privacy-check.example", "Flat 9, Lane 77, Zephyr Road",
            "Quillon's lift on Zephyr Road has been out for a week", "Lane 77 Zephyr Road", "a lift that works for flat 9"),
        new("Marisol Thackeray-Oyelaran", "+86 139 4455 6677", "m.thackeray@privacy-check.example", "House 12, Wisteria Close",
            "the lift at Wisteria Close traps Marisol's mother", "12 Wisteria Close", "compensation for Marisol's taxi fares"),
        new("Dorotea Kwiatkowska-Leung", null, "dorotea.kl@privacy-check.example", "Room 301, Old Mill Building",
            "my upstairs neighbour in Old Mill room 401 is noisy", "Old Mill Building room 301", "a word with room 401"),
    ];

    /// <summary>What the office wrote about them.</summary>
    private static readonly string[] Written =
    [
        "the caretaker Ignatius Fairweather-Obi saw the lift stuck", "caretaker Ignatius Fairweather-Obi",
        "lift repaired at flat 9's landing", "Mr Vasquez-Ardent, the lift works again.", "it broke again the next day at flat 9",
        "explained the repair plan to Ms Thackeray-Oyelaran", "Ms Thackeray-Oyelaran, the repair is planned.",
        "a matter between Dorotea and room 401", "Ms Kwiatkowska-Leung, this is a matter between tenants.",
    ];

    /// <summary>A location shared by enough cases (two, as the tests configure the report): named in the report by design.</summary>
    private const string SharedLocation = "Harbour View Estate Gate";

    /// <summary>Every form in which what they gave could leak: texts whole, names, phones as given and as digits, emails.</summary>
    private static IEnumerable<string> Identities() => Complainants.SelectMany(c => new[]
    {
        c.Name, c.Name.Split(' ')[1], c.Phone, c.Phone is null ? null : new string(c.Phone.Where(char.IsDigit).ToArray()), c.Email,
        c.Email?.Split('@')[0],
    }).OfType<string>();

    private static IEnumerable<string> Secrets() => Identities()
        .Concat(Complainants.SelectMany(c => new[] { c.Address, c.Description, c.Location, c.Remedy, "Zephyr", "Wisteria", "Old Mill" }))
        .Concat(Written).Append("Fairweather");

    private async Task<Guid[]> Seed()
    {
        // History with its own times, entered as a trusted service enters it.
        var api = new ComplaintsApi(fixture.Host, "service.confidential-seed");
        var ids = new List<Guid>();
        foreach (var (c, i) in Complainants.Select((c, i) => (c, i)))
            ids.Add(await api.ReceiveId(new
            {
                channel = i == 2 ? "Email" : "Phone",
                complainant = new { name = c.Name, phone = c.Phone, email = c.Email, address = c.Address },
                description = c.Description,
                location = c.Location,
                remedySought = c.Remedy,
                receivedAt = May(2 + i),
            }));
        foreach (var day in new[] { 10, 11 })
            await api.ReceiveId(new
            {
                channel = "Online",
                complainant = new { name = "Estate Resident", phone = (string?)null, email = $"resident.{day}@estate.example", address = (string?)null },
                description = "the estate gate is broken",
                location = SharedLocation,
                receivedAt = May(day),
            });
        async Task Do(Guid id, string action, DateTimeOffset at, object? body = null)
        {
            var fields = System.Text.Json.JsonSerializer.SerializeToNode(body ?? new { })!.AsObject();
            fields["at"] = at.ToString("O");
            await api.Do(id, action, fields);
        }

        // The first waits for a re-review (so it is in the reviewers' queue), the second closes satisfied, the third is declined.
        await Do(ids[0], "accept", May(2, 10));
        await Do(ids[0], "triage", May(2, 10), new { category = "Lifts", severity = "Medium", priority = "High" });
        await Do(ids[0], "assign", May(2, 11), new { department = "Estate Office", handler = "h.lift", dueAt = May(5) });
        await Do(ids[0], "first-response", May(2, 12));
        await Do(ids[0], "evidence", May(2, 13), new { kind = "Statement", description = Written[0], party = Written[1] });
        await Do(ids[0], "resolve", May(4), new { remedy = "Repair", description = Written[2], reply = Written[3] });
        await Do(ids[0], "follow-up", May(8), new { satisfied = false, score = 2, comment = Written[4] });

        await Do(ids[1], "accept", May(3, 10));
        await Do(ids[1], "triage", May(3, 10), new { category = "Lifts", severity = "Low", priority = "Normal" });
        await Do(ids[1], "resolve", May(3, 11), new { remedy = "Explanation", description = Written[5], reply = Written[6] });
        await Do(ids[1], "follow-up", May(7), new { satisfied = true, score = 4 });

        await Do(ids[2], "decline", May(4, 10), new { reason = Written[7], explanation = Written[8] });

        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return ids.ToArray();
    }

    [Fact]
    public async Task no_analyst_response_report_or_analytics_table_contains_anything_a_complainant_gave_or_was_written_about_them()
    {
        var ids = await Seed();
        const string period = "from=2017-05-01&to=2017-06-01";

        var responses = new Dictionary<string, string>();
        foreach (var by in new[] { "", "month", "category", "department", "channel", "round", "month,category,department,channel,round" })
        {
            responses[$"satisfaction by {by}"] = await AuditSql.GetText(fixture, Analyst, $"/api/analytics/satisfaction?{period}&by={by}");
            responses[$"satisfaction of all time by {by}"] = await AuditSql.GetText(fixture, Analyst, $"/api/analytics/satisfaction?by={by}");
        }
        foreach (var by in new[] { "", "month", "category", "department", "channel", "month,category,department,channel" })
        {
            responses[$"cycle times by {by}"] = await AuditSql.GetText(fixture, Analyst, $"/api/analytics/cycle-times?{period}&by={by}");
            responses[$"cycle times of all time by {by}"] = await AuditSql.GetText(fixture, Analyst, $"/api/analytics/cycle-times?by={by}");
        }
        foreach (var format in new[] { "json", "csv", "html" })
            responses[$"monthly report as {format}"] = await AuditSql.GetText(fixture, Analyst, $"/api/reports/monthly/2017-05?format={format}");
        var tables = await AuditSql.AnalyticsDump(fixture);
        responses["analytics tables"] = string.Join("\n", tables);

        // The responses do describe the seeded cases, so that finding nothing in them means something.
        responses["satisfaction by "].ShouldContain("\"rated\":2");
        responses["monthly report as json"].ShouldContain("Lifts");
        foreach (var id in ids) responses["analytics tables"].ShouldContain(id.ToString());
        // ... the search finds what is shown to those handling the case ...
        var details = await AuditSql.GetText(fixture, "dispatcher.audit", $"/api/complaints/{ids[0]}");
        foreach (var shown in new[] { Complainants[0].Name, Complainants[0].Description, Complainants[0].Location, Complainants[0].Remedy })
            details.ShouldContain(shown);
        // ... and the report names a location where enough cases share it, and counts the rest together.
        foreach (var format in new[] { "json", "csv", "html" })
        {
            responses[$"monthly report as {format}"].ShouldContain(SharedLocation);
            responses[$"monthly report as {format}"].ShouldContain("(other)");
        }

        foreach (var (what, body) in responses)
        foreach (var secret in Secrets())
            body.ShouldNotContain(secret, Case.Insensitive, $"{what} contains '{secret}'");
        // The reviewers' queue shows the case's last comment to those who re-review it, but never who complained.
        var queue = await AuditSql.GetText(fixture, "reviewer.audit", "/api/re-reviews");
        queue.ShouldContain(Text((await new ComplaintsApi(fixture.Host, "dispatcher.audit").Get(ids[0]))["trackingNumber"]));
        foreach (var secret in Identities()) queue.ShouldNotContain(secret, Case.Insensitive, $"the re-review queue contains '{secret}'");
    }

    [Fact]
    public void the_monthly_report_names_a_location_of_five_cases_unless_configured_otherwise()
    {
        var configuration = new ConfigurationBuilder();
        GetMonthlyReportEndpoint.LocationMinimumCases(configuration.Build()).ShouldBe(5);
        configuration.AddInMemoryCollection([new("Complaints:Reports:LocationMinimumCases", "12")]);
        GetMonthlyReportEndpoint.LocationMinimumCases(configuration.Build()).ShouldBe(12);
        configuration.AddInMemoryCollection([new("Complaints:Reports:LocationMinimumCases", "0")]);
        Should.Throw<InvalidOperationException>(() => GetMonthlyReportEndpoint.LocationMinimumCases(configuration.Build()));
    }
}

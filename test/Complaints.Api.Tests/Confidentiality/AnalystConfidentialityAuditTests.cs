using Complaints.Api.Tests.Auditing;
using Marten.Events;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// Analysts never need complainant identities: every analyst response, the monthly report in each format and every
/// row of every analytics table are searched for each seeded name, phone and email. The population lives in May 2017,
/// in a database of this class's own.
/// </summary>
[Collection("AnalyticsTests")]
public sealed class AnalystConfidentialityAuditTests(OwnDatabase<AnalystConfidentialityAuditTests> fixture) : IClassFixture<OwnDatabase<AnalystConfidentialityAuditTests>>
{
    private const string Analyst = "analyst.audit";

    private static DateTimeOffset May(int day, double hour = 9) => new DateTimeOffset(2017, 5, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private static readonly (string Name, string? Phone, string? Email, string Address)[] Complainants =
    [
        ("Quillon Vasquez-Ardent", "0571 9182 7364", "quillon.ardent@privacy-check.example", "Flat 9, Lane 77, Zephyr Road"),
        ("Marisol Thackeray-Oyelaran", "+86 139 4455 6677", "m.thackeray@privacy-check.example", "House 12, Wisteria Close"),
        ("Dorotea Kwiatkowska-Leung", null, "dorotea.kl@privacy-check.example", "Room 301, Old Mill Building"),
    ];

    /// <summary>Every form in which the seeded identities could leak: names, phones as given and as digits, emails.</summary>
    private static IEnumerable<string> Secrets() => Complainants.SelectMany(c => new[]
    {
        c.Name, c.Name.Split(' ')[1], c.Phone, c.Phone is null ? null : new string(c.Phone.Where(char.IsDigit).ToArray()), c.Email,
        c.Email?.Split('@')[0],
    }).OfType<string>();

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
                description = "Confidentiality population: the lift has been out of order for a week.",
                location = "Harbour View Estate",
                receivedAt = May(2 + i),
            }));
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
        await Do(ids[0], "resolve", May(4), new { remedy = "Repair", description = "lift repaired", reply = "The lift works again." });
        await Do(ids[0], "follow-up", May(8), new { satisfied = false, score = 2, comment = "it broke again the next day" });

        await Do(ids[1], "accept", May(3, 10));
        await Do(ids[1], "triage", May(3, 10), new { category = "Lifts", severity = "Low", priority = "Normal" });
        await Do(ids[1], "resolve", May(3, 11), new { remedy = "Explanation", description = "explained the repair plan", reply = "Repair planned." });
        await Do(ids[1], "follow-up", May(7), new { satisfied = true, score = 4 });

        await Do(ids[2], "decline", May(4, 10), new { reason = "private dispute", explanation = "This is a matter between tenants." });

        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return ids.ToArray();
    }

    [Fact]
    public async Task no_analyst_response_report_or_analytics_table_contains_a_complainants_name_phone_or_email()
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
        responses["re-review queue"] = await AuditSql.GetText(fixture, "reviewer.audit", "/api/re-reviews");
        var tables = await AuditSql.AnalyticsDump(fixture);
        responses["analytics tables"] = string.Join("\n", tables);

        // The responses do describe the seeded cases, so that finding nothing in them means something.
        var trackingNumber = Text((await new ComplaintsApi(fixture.Host, "dispatcher.audit").Get(ids[0]))["trackingNumber"]);
        responses["re-review queue"].ShouldContain(trackingNumber);
        responses["satisfaction by "].ShouldContain("\"rated\":2");
        responses["monthly report as json"].ShouldContain("Lifts");
        foreach (var id in ids) responses["analytics tables"].ShouldContain(id.ToString());
        // ... and the search itself finds a name where one is shown: to those handling the case.
        (await AuditSql.GetText(fixture, "dispatcher.audit", $"/api/complaints/{ids[0]}")).ShouldContain(Complainants[0].Name);

        foreach (var (what, body) in responses)
        foreach (var secret in Secrets())
            body.ShouldNotContain(secret, Case.Insensitive, $"{what} contains '{secret}'");
    }
}

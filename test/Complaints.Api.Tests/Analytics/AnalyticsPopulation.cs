using Complaints.Api.Tests.Support;
using Marten.Events;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// A small known population, built once per database through the HTTP API with fixed times in January and February
/// 2021, so that every analytics figure can be worked out by hand. The tests that read it have a database of their own
/// (<see cref="OwnDatabase{TTests}"/>), which holds the population and what those tests add.
///   A  Phone  Noise  Estate Office  received Jan 4 09:00, accepted +1h, assigned +2h (due Jan 6 09:00), on site +3h,
///                                   resolved Jan 5 09:00, satisfied 5 on Jan 8 09:00 → Closed
///   B  Email  Noise  Estate Office  received Jan 10 09:00, accepted +2h, assigned +4h (due Jan 11 09:00), on site +6h,
///                                   resolved Jan 12 09:00 (late), unsatisfied 2 Jan 15 → re-review 1 (Jan 16), resolved
///                                   Jan 18, satisfied 4 Jan 20 09:00 → Closed
///   C  Online Leak   (first contact) received Jan 20 09:00, accepted +1h, resolved +2h, unsatisfied 1 Jan 25 09:00 →
///                                   re-review 1 (Jan 26), resolved Jan 27, unsatisfied 2 Feb 1 → re-review 2 (Feb 2),
///                                   resolved Feb 3, unsatisfied 1 Feb 5 → EscalatedToHigherLevel
///   D  Phone  Leak                  received Feb 8 09:00, declined +1h
///   E  Letter Leak                  received Feb 10 09:00, accepted, mediation, agreement Feb 15, closed Feb 20
///   F  WalkIn Noise                 received Feb 12 09:00, withdrawn Feb 13
///   G  Phone  Noise  Estate Office  received Feb 14 09:00 by the same phone as A; accepted; escalated to management Feb 15
/// </summary>
public sealed class AnalyticsPopulation(ApiFixture fixture)
{
    public static DateTimeOffset Jan(int day, double hour = 9) => new DateTimeOffset(2021, 1, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);
    public static DateTimeOffset Feb(int day, double hour = 9) => new DateTimeOffset(2021, 2, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<string, Dictionary<string, Guid>> Built = [];

    public async Task<IReadOnlyDictionary<string, Guid>> Build()
    {
        await Once.WaitAsync();
        try
        {
            if (!Built.TryGetValue(fixture.ConnectionString, out var cases)) Built[fixture.ConnectionString] = cases = await Create();
            return cases;
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<Dictionary<string, Guid>> Create()
    {
        // History with its own times, entered as a trusted service enters it (the role that may date steps back).
        var api = new ComplaintsApi(fixture.Host, "service.population");
        async Task<Guid> Receive(string channel, DateTimeOffset at, string phone, string location) => await api.ReceiveId(new
        {
            channel,
            complainant = new { name = "Population Member", phone, email = (string?)null, address = (string?)null },
            description = "analytics population",
            location,
            receivedAt = at,
        });
        async Task Do(Guid id, string action, DateTimeOffset at, object? body = null)
        {
            var fields = System.Text.Json.JsonSerializer.SerializeToNode(body ?? new { })!.AsObject();
            fields["at"] = at.ToString("O");
            await api.Do(id, action, fields);
        }

        var a = await Receive("Phone", Jan(4), "021-5550001", "Block 1");
        await Do(a, "accept", Jan(4, 10));
        await Do(a, "triage", Jan(4, 10), new { category = "Noise", severity = "Low", priority = "Normal" });
        await Do(a, "assign", Jan(4, 11), new { department = "Estate Office", handler = "h.a", dueAt = Jan(6) });
        await Do(a, "first-response", Jan(4, 12));
        await Do(a, "resolve", Jan(5), new { remedy = "Apology", description = "spoke to neighbour", reply = "Resolved." });
        await Do(a, "follow-up", Jan(8), new { satisfied = true, score = 5 });

        var b = await Receive("Email", Jan(10), "021-5550002", "Block 2");
        await Do(b, "accept", Jan(10, 11));
        await Do(b, "triage", Jan(10, 11), new { category = "Noise", severity = "Medium", priority = "Normal" });
        await Do(b, "assign", Jan(10, 13), new { department = "Estate Office", handler = "h.b", dueAt = Jan(11) });
        await Do(b, "first-response", Jan(10, 15));
        await Do(b, "resolve", Jan(12), new { remedy = "Explanation", description = "explained the rules", reply = "Explained." });
        await Do(b, "follow-up", Jan(15), new { satisfied = false, score = 2, comment = "still noisy" });
        await Do(b, "re-review", Jan(16), new { revisedPlan = "formal warning", reviewer = "r.one" });
        await Do(b, "resolve", Jan(18), new { remedy = "Other", description = "formal warning issued", reply = "Warned." });
        await Do(b, "follow-up", Jan(20), new { satisfied = true, score = 4 });

        var c = await Receive("Online", Jan(20), "021-5550003", "Block 3");
        await Do(c, "accept", Jan(20, 10));
        await Do(c, "triage", Jan(20, 10), new { category = "Leak", severity = "High", priority = "High" });
        await Do(c, "resolve", Jan(20, 11), new { remedy = "Repair", description = "tightened valve", reply = "Fixed." });
        await Do(c, "follow-up", Jan(25), new { satisfied = false, score = 1, comment = "leaks again" });
        await Do(c, "re-review", Jan(26), new { revisedPlan = "replace the valve" });
        await Do(c, "resolve", Jan(27), new { remedy = "Repair", description = "valve replaced", reply = "Replaced." });
        await Do(c, "follow-up", Feb(1), new { satisfied = false, score = 2 });
        await Do(c, "re-review", Feb(2), new { revisedPlan = "replace the pipe" });
        await Do(c, "resolve", Feb(3), new { remedy = "Repair", description = "pipe replaced", reply = "Replaced." });
        await Do(c, "follow-up", Feb(5), new { satisfied = false, score = 1 });

        var d = await Receive("Phone", Feb(8), "021-5550004", "Block 4");
        await Do(d, "decline", Feb(8, 10), new { reason = "private dispute", explanation = "Outside our remit." });

        var e = await Receive("Letter", Feb(10), "021-5550005", "Block 3");
        await Do(e, "accept", Feb(10, 10));
        await Do(e, "triage", Feb(10, 10), new { category = "Leak", severity = "Medium", priority = "Normal" });
        await Do(e, "mediation", Feb(11), new { eligible = true, reason = "dispute between neighbours" });
        await Do(e, "mediation/agreement", Feb(15), new { terms = "upstairs pays the repair", copies = 3 });
        await Do(e, "close", Feb(20), new { reason = "AgreementPerformed" });

        var f = await Receive("WalkIn", Feb(12), "021-5550006", "Block 1");
        await Do(f, "withdraw", Feb(13), new { reason = "sorted it out" });

        var g = await Receive("Phone", Feb(14), "021 555 0001", "Block 1");
        await Do(g, "accept", Feb(14, 10));
        await Do(g, "triage", Feb(14, 10), new { category = "Noise", severity = "High", priority = "Urgent" });
        await Do(g, "assign", Feb(14, 11), new { department = "Estate Office", handler = "h.a", dueAt = Feb(16) });
        await Do(g, "escalate", Feb(15), new { reason = "repeat offender" });

        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return new() { ["A"] = a, ["B"] = b, ["C"] = c, ["D"] = d, ["E"] = e, ["F"] = f, ["G"] = g };
    }
}

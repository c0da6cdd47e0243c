using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Auditing;
using Marten.Events;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// Lawful erasure: the complainant's identity leaves the stored events, the read models and the history, the erasure is
/// itself audited, and every analytics figure stays as it was, even after the analytics are rebuilt. The population
/// lives in April 2018, in a database of this class's own.
/// </summary>
[Collection("AnalyticsTests")]
public sealed class ErasureAuditTests(OwnDatabase<ErasureAuditTests> fixture) : IClassFixture<OwnDatabase<ErasureAuditTests>>
{
    private static DateTimeOffset April(int day, double hour = 9) => new DateTimeOffset(2018, 4, day, 0, 0, 0, TimeSpan.Zero).AddHours(hour);

    private const string Name = "Evangeline Okonkwo-Brandt";
    private const string Phone = "+86 158 2468 1357";
    private const string PhoneDigits = "8615824681357";
    private const string Email = "evangeline.ob@erasure-check.example";
    private const string Address = "Apartment 44, Juniper Terrace";
    private static readonly string[] Secrets = [Name, "Okonkwo", Phone, PhoneDigits, "24681357", Email, "evangeline.ob", Address, "Juniper Terrace"];

    // History with its own times, entered as a trusted service enters it.
    private readonly ComplaintsApi _api = new(fixture.Host, "service.erasure-seed");
    private readonly ComplaintsApi _admin = new(fixture.Host, "admin.root");
    // The administrator erases; the auditor replays the history and reads the case, which the administrator may not.
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");
    private const string Analyst = "analyst.audit";

    private static object Complaint(DateTimeOffset at, string? name = Name, string? address = Address) => new
    {
        channel = "Phone",
        complainant = new { name, phone = Phone, email = Email, address },
        description = "Erasure population: the heating has not worked since March.",
        location = "Juniper Estate",
        receivedAt = at,
    };

    private async Task Do(Guid id, string action, DateTimeOffset at, object? body = null)
    {
        var fields = System.Text.Json.JsonSerializer.SerializeToNode(body ?? new { })!.AsObject();
        fields["at"] = at.ToString("O");
        await _api.Do(id, action, fields);
    }

    /// <summary>Two complaints by the same complainant (a repeat complainant), both followed up; the first will be erased.</summary>
    private async Task<(Guid Erased, Guid Kept)> Seed()
    {
        var first = await _api.ReceiveId(Complaint(April(2)));
        await Do(first, "accept", April(2, 10));
        await Do(first, "triage", April(2, 10), new { category = "Heating", severity = "High", priority = "High" });
        await Do(first, "assign", April(2, 11), new { department = "Estate Office", handler = "h.heat", dueAt = April(4) });
        await Do(first, "first-response", April(2, 13));
        await Do(first, "resolve", April(3), new { remedy = "Repair", description = "boiler fixed", reply = "Your heating works again." });
        await Do(first, "follow-up", April(6), new { satisfied = false, score = 2, comment = "cold again" });
        await Do(first, "re-review", April(7), new { revisedPlan = "replace the boiler" });
        await Do(first, "resolve", April(9), new { remedy = "Repair", description = "boiler replaced", reply = "We replaced the boiler." });
        await Do(first, "follow-up", April(12), new { satisfied = true, score = 5 });

        var second = await _api.ReceiveId(Complaint(April(20)));
        await Do(second, "accept", April(20, 10));
        await Do(second, "triage", April(20, 10), new { category = "Heating", severity = "Low", priority = "Normal" });
        await Do(second, "resolve", April(20, 12), new { remedy = "Explanation", description = "explained thermostat", reply = "Turn the dial." });
        await Do(second, "follow-up", April(24), new { satisfied = true, score = 4 });

        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return (first, second);
    }

    /// <summary>Every figure analysts can see for April 2018, and the analytics rows of the two complaints.</summary>
    private async Task<List<string>> Figures(params Guid[] ids)
    {
        const string period = "from=2018-04-01&to=2018-05-01";
        var figures = new List<string>();
        foreach (var by in new[] { "", "month", "category", "department", "channel", "round" })
            figures.Add(await AuditSql.GetText(fixture, Analyst, $"/api/analytics/satisfaction?{period}&by={by}"));
        foreach (var by in new[] { "", "month", "category", "department", "channel" })
            figures.Add(await AuditSql.GetText(fixture, Analyst, $"/api/analytics/cycle-times?{period}&by={by}"));
        var report = (await AuditSql.GetJson(fixture, Analyst, "/api/reports/monthly/2018-04")).AsObject();
        report.Remove("generatedAt");
        figures.Add(report.ToJsonString());
        foreach (var id in ids) figures.AddRange(await AuditSql.AnalyticsDump(fixture, id));
        return figures;
    }

    private static void ShouldHoldNoPersonalData(string what, string text)
    {
        foreach (var secret in Secrets) text.ShouldNotContain(secret, Case.Insensitive, $"{what} still contains '{secret}'");
    }

    [Fact]
    public async Task erasure_removes_the_complainant_from_events_read_models_and_history_and_keeps_every_figure()
    {
        var (erased, kept) = await Seed();
        var before = await Figures(erased, kept);
        before.ShouldContain(f => f.Contains("\"rated\":3"));
        var historyBefore = await _auditor.History(erased);
        (await AuditSql.Lines(fixture, "select data::text from complaints.mt_events where stream_id = @id", ("id", erased)))
            .ShouldContain(d => d.Contains(Name)); // the search below can find what it looks for

        var details = await _admin.Do(erased, "erase-personal-data", new { legalBasis = "PIPL art. 47: the complainant's request of 2026-03-01, ref. E-17" });

        // The case as it stands: the complainant is erased, everything else is as it was.
        Text(details["complainant"]!["name"]).ShouldBe("[erased]");
        details["complainant"]!["phone"].ShouldBeNull();
        details["complainant"]!["email"].ShouldBeNull();
        details["complainant"]!["address"].ShouldBeNull();
        details["personalDataErasedAt"].ShouldNotBeNull();
        Text(details["status"]).ShouldBe("Closed");
        Text(details["closeReason"]).ShouldBe("Satisfied");
        details["version"]!.GetValue<int>().ShouldBe(historyBefore.Count + 1);
        Text(details["description"]).ShouldContain("heating");

        // Gone from the stored events, the stored details, the history and the case as it was at any version.
        ShouldHoldNoPersonalData("the stored events", string.Join("\n",
            await AuditSql.Lines(fixture, "select data::text from complaints.mt_events where stream_id = @id", ("id", erased))));
        ShouldHoldNoPersonalData("the stored details", string.Join("\n",
            await AuditSql.Lines(fixture, "select data::text from complaints.mt_doc_complaintdetails where id = @id", ("id", erased))));
        ShouldHoldNoPersonalData("the details", (await _auditor.Get(erased)).ToJsonString());
        var history = await _auditor.History(erased);
        ShouldHoldNoPersonalData("the history", history.ToJsonString());
        for (var version = 1; version <= history.Count; version++)
            ShouldHoldNoPersonalData($"version {version}", await AuditSql.GetText(fixture, _auditor.User, $"/api/complaints/{erased}?version={version}"));

        // The history keeps every step, and the erasure is one more: who, when, on what legal basis.
        Types(history).ShouldBe([.. Types(historyBefore), "personal_data_erased"]);
        Text(history[^1]!["user"]).ShouldBe("admin.root");
        Text(history[^1]!["data"]!["legalBasis"]).ShouldStartWith("PIPL art. 47");
        history.Take(historyBefore.Count).Select(e => Text(e!["hash"])).ShouldBe(historyBefore.Select(e => Text(e!["hash"])));

        // The other complaint of the same complainant is untouched.
        Text((await _auditor.Get(kept))["complainant"]!["name"]).ShouldBe(Name);

        // The history still verifies: the masked event is accounted for by the erasure that changed it.
        var verification = await AuditSql.GetJson(fixture, _auditor.User, $"/api/complaints/{erased}/verify");
        verification["valid"]!.GetValue<bool>().ShouldBeTrue();
        verification["redacted"]!.AsArray().Select(v => v!.GetValue<long>()).ShouldBe([1L]);

        // Every figure is unchanged, and stays so when the analytics are rebuilt from the masked events: the contact's
        // one-way key travels in the masked event, so the repeat complainant still counts.
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await Figures(erased, kept)).ShouldBe(before);
        var keys = await AuditSql.Lines(fixture,
            "select complainant_key from analytics.complaint_cases where complaint_id in (@erased, @kept)", ("erased", erased), ("kept", kept));
        keys.Distinct().ShouldHaveSingleItem().ShouldNotBeNullOrEmpty();
        (await AuditSql.Lines(fixture, "select data ->> 'erasedComplainantKey' from complaints.mt_events where stream_id = @id and version = 1",
            ("id", erased))).ShouldBe([keys[0]]);

        await fixture.Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/projections/ComplaintAnalytics/rebuild");
            s.WithRequestHeader("X-User", "admin.root");
            s.StatusCodeShouldBeOk();
        });
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await Figures(erased, kept)).ShouldBe(before);
    }

    [Fact]
    public async Task erasure_needs_a_legal_basis_and_an_existing_complaint_and_cannot_be_dated()
    {
        var id = await _api.ReceiveId(Complaint(April(25), name: "Nobody In Particular", address: null));

        var missing = await _admin.Fails(id, "erase-personal-data", new { legalBasis = "  " }, HttpStatusCode.BadRequest);
        missing["errors"]!["legalBasis"].ShouldNotBeNull();
        var dated = await _admin.Fails(id, "erase-personal-data", new { legalBasis = "court order 12", at = April(26).ToString("O") },
            HttpStatusCode.BadRequest);
        dated["errors"]!["at"].ShouldNotBeNull();
        await _admin.Fails(Guid.NewGuid(), "erase-personal-data", new { legalBasis = "court order 12" }, HttpStatusCode.NotFound);

        // Nothing was recorded by the refusals.
        Types(await _auditor.History(id)).ShouldBe(["complaint_received"]);
    }

    [Fact]
    public async Task a_history_that_fails_verification_is_not_erased_over()
    {
        var id = await _api.ReceiveId(Complaint(April(26), name: "Someone Tampered", address: null));
        await Do(id, "accept", April(26, 10));
        await AuditSql.Execute(fixture,
            """update complaints.mt_events set data = jsonb_set(data, '{note}', '"edited"') where stream_id = @id and version = 2""", ("id", id));

        var refused = await _admin.Fails(id, "erase-personal-data", new { legalBasis = "court order 13" }, HttpStatusCode.Conflict);
        Text(refused["rule"]).ShouldBe("history-fails-verification");
        Text(refused["detail"]).ShouldContain("version 2");
    }
}

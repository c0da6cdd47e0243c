using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Auditing;
using Complaints.Api.Tests.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Marten.Events;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// Lawful erasure: the complainant's identity, the location and every text written into the case leave the stored
/// events, the read models and the history in the transaction that records the erasure, the erasure is itself audited,
/// the history still verifies (and an edit behind the erasure does not), and every analytics figure stays as it was,
/// even after the analytics are rebuilt. The population lives in April 2018, in a database of this class's own.
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
    private const string Location = "Juniper Terrace, Block 12";

    /// <summary>What the complainant gave, and what the office wrote about them: each is a text no erased case may keep.</summary>
    private static readonly string[] Texts =
    [
        "Evangeline's heating has not worked since March.", Location, "a working boiler for apartment 44", "neighbour Halvorsen-Pike",
        "Halvorsen-Pike heard the boiler fail", "the boiler of apartment 44 is broken", "boiler of apartment 44 fixed",
        "Ms Okonkwo-Brandt, your heating works again.", "cold again in apartment 44", "replace the boiler of apartment 44",
        "apartment 44 replaced", "Ms Okonkwo-Brandt, we replaced the boiler.", "call Evangeline back today",
    ];

    private static readonly string[] Secrets =
        [Name, "Okonkwo", Phone, PhoneDigits, "24681357", Email, "evangeline.ob", Address, "Juniper Terrace", "apartment 44", "Halvorsen", .. Texts];

    // History with its own times, entered as a trusted service enters it.
    private readonly ComplaintsApi _api = new(fixture.Host, "service.erasure-seed");
    private readonly ComplaintsApi _admin = new(fixture.Host, "admin.root");
    // The administrator erases; the auditor replays the history and reads the case, which the administrator may not.
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");
    private const string Analyst = "analyst.audit";

    private static object Complaint(DateTimeOffset at, string? name = Name, string? address = Address, string location = "Juniper Estate") => new
    {
        channel = "Phone",
        complainant = new { name, phone = Phone, email = Email, address },
        description = Texts[0],
        location,
        remedySought = Texts[2],
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
        var first = await _api.ReceiveId(Complaint(April(2), location: Location));
        await Do(first, "accept", April(2, 10));
        await Do(first, "triage", April(2, 10), new { category = "Heating", severity = "High", priority = "High" });
        await Do(first, "assign", April(2, 11), new { department = "Estate Office", handler = "h.heat", dueAt = April(4) });
        await Do(first, "first-response", April(2, 13));
        await Do(first, "evidence", April(2, 14), new { kind = "Statement", description = Texts[4], party = Texts[3] });
        await Do(first, "findings", April(2, 15), new { substantiated = true, summary = Texts[5] });
        await Do(first, "urge", April(2, 16), new { note = Texts[12] });
        await Do(first, "resolve", April(3), new { remedy = "Repair", description = Texts[6], reply = Texts[7] });
        await Do(first, "follow-up", April(6), new { satisfied = false, score = 2, comment = Texts[8] });
        await Do(first, "re-review", April(7), new { revisedPlan = Texts[9] });
        await Do(first, "resolve", April(9), new { remedy = "Repair", description = Texts[10], reply = Texts[11] });
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
        Text(details["description"]).ShouldBe("[erased]");
        Text(details["location"]).ShouldBe("[erased]");
        Text(details["publicReply"]).ShouldBe("[erased]");
        Text(details["category"]).ShouldBe("Heating");

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

        // The case as stored is the case folded again from the erased events.
        JsonNode.DeepEquals(await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{erased}?version={history.Count}"), await _auditor.Get(erased))
            .ShouldBeTrue("the stored case differs from the case folded from the erased events");

        // The history keeps every step, and the erasure is one more: who, when, on what legal basis, and what it erased.
        Types(history).ShouldBe([.. Types(historyBefore), "personal_data_erased"]);
        Text(history[^1]!["user"]).ShouldBe("admin.root");
        Text(history[^1]!["data"]!["legalBasis"]).ShouldStartWith("PIPL art. 47");
        var redactions = history[^1]!["data"]!["redactions"]!.AsArray();
        var erasedVersions = redactions.Select(r => r!["version"]!.GetValue<long>()).ToList();
        var changed = Enumerable.Range(0, historyBefore.Count)
            .Where(i => history[i]!["data"]!.ToJsonString() != historyBefore[i]!["data"]!.ToJsonString()).Select(i => (long)i + 1).ToList();
        erasedVersions.ShouldBe(changed);
        erasedVersions.Select(v => Text(history[(int)v - 1]!["type"])).Distinct().ShouldBe(
            ["complaint_received", "evidence_recorded", "findings_recorded", "complaint_urged", "complaint_resolved", "follow_up_recorded",
             "re_review_requested", "complaint_re_reviewed"], ignoreOrder: true);
        redactions[0]!["fields"]!.AsArray().Select(f => Text(f)).ShouldBe(
            ["complainant", "description", "location", "remedySought", "erasedComplainantKey"], ignoreOrder: true);
        history.Take(historyBefore.Count).Select(e => Text(e!["hash"])).ShouldBe(historyBefore.Select(e => Text(e!["hash"])));

        // The other complaint of the same complainant is untouched.
        Text((await _auditor.Get(kept))["complainant"]!["name"]).ShouldBe(Name);

        // The history still verifies: the masked event is accounted for by the erasure that changed it.
        var verification = await AuditSql.GetJson(fixture, _auditor.User, $"/api/complaints/{erased}/verify");
        verification["valid"]!.GetValue<bool>().ShouldBeTrue();
        verification["redacted"]!.AsArray().Select(v => v!.GetValue<long>()).ShouldBe(erasedVersions);

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

    /// <summary>A case worked far enough to hold free text in several events.</summary>
    [Fact]
    public async Task an_erasure_recorded_before_erasures_listed_what_they_rewrote_still_verifies_and_only_for_its_own_case()
    {
        // As such an erasure was recorded: its event without a list, the rewritten event's hash beside its seal.
        var earlier = await Resolved(24, "Earlier Erasure-Person");
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Events.Append(earlier, new global::Complaints.Domain.PersonalDataErased("court order 9", April(25), "admin.root") { Redactions = null! });
            await session.SaveChangesAsync();
        }
        const string rewrite = """
            update complaints.mt_events set data = jsonb_set(data, '{party}', '"[erased]"') where stream_id = @id and type = 'evidence_recorded';
            update complaints.event_hashes h
            set redacted_data_hash = (select encode(sha256(convert_to(e.data::text, 'UTF8')), 'hex') from complaints.mt_events e where e.seq_id = h.seq_id),
                redacted_by_seq = (select seq_id from complaints.mt_events where stream_id = @id and type = 'personal_data_erased' order by version desc limit 1)
            where h.stream_id = @id and h.seq_id = (select seq_id from complaints.mt_events where stream_id = @id and type = 'evidence_recorded');
            """;
        await AuditSql.Execute(fixture, rewrite, ("id", earlier));
        var verified = await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{earlier}/verify");
        verified["valid"]!.GetValue<bool>().ShouldBeTrue();
        verified["redacted"]!.AsArray().Select(v => v!.GetValue<long>()).ShouldBe([5L]);

        // The same hash beside the seal of a case whose erasure lists what it rewrote hides nothing.
        var listed = await Resolved(26, "Listed Erasure-Person");
        await _admin.Do(listed, "erase-personal-data", new { legalBasis = "court order 10" });
        await AuditSql.Execute(fixture, rewrite.Replace("'\"[erased]\"'", "'\"someone else\"'"), ("id", listed));
        (await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{listed}/verify"))["valid"]!.GetValue<bool>().ShouldBeFalse();
    }

    private async Task<Guid> Resolved(int day, string name)
    {
        var id = await _api.ReceiveId(Complaint(April(day), name: name, address: null));
        await Do(id, "accept", April(day, 10));
        await Do(id, "assign", April(day, 11), new { department = "Estate Office", handler = "h.heat" });
        await Do(id, "evidence", April(day, 12), new { kind = "Statement", description = Texts[4], party = Texts[3] });
        await Do(id, "resolve", April(day, 13), new { remedy = "Repair", description = Texts[6], reply = Texts[7] });
        return id;
    }

    private async Task<List<string>> StoredEvents(Guid id) =>
        await AuditSql.Lines(fixture, "select data::text from complaints.mt_events where stream_id = @id order by version", ("id", id));

    [Fact]
    public async Task an_erasure_whose_transaction_fails_at_commit_records_neither_the_erasure_nor_the_erasing()
    {
        var id = await Resolved(27, "Failing Commit-Person");
        var before = await StoredEvents(id);
        var historyBefore = await _auditor.History(id);
        // PostgreSQL refuses the transaction at its commit, after the events were rewritten and the erasure appended.
        await AuditSql.Execute(fixture, $"""
            create or replace function complaints.test_refuse_commit() returns trigger language plpgsql as $fn$
            begin raise exception 'refused at commit for the test'; end $fn$;
            create constraint trigger test_refuse_erasure_{id:N} after update on complaints.mt_events
                deferrable initially deferred for each row when (new.stream_id = '{id}') execute function complaints.test_refuse_commit();
            """);
        try
        {
            await fixture.Host.Scenario(s =>
            {
                s.Post.Json(new { legalBasis = "court order 14" }).ToUrl($"/api/complaints/{id}/erase-personal-data");
                s.WithRequestHeader("X-User", "admin.root");
                s.StatusCodeShouldBe(HttpStatusCode.InternalServerError);
            });
        }
        finally
        {
            await AuditSql.Execute(fixture, $"drop trigger test_refuse_erasure_{id:N} on complaints.mt_events");
        }

        // Neither the event nor the rewriting: the history, the stored events and the case are as they were, and verify.
        Types(await _auditor.History(id)).ShouldBe(Types(historyBefore));
        (await StoredEvents(id)).ShouldBe(before);
        string.Join("\n", before).ShouldContain(Texts[4]);
        Text((await _auditor.Get(id))["complainant"]!["name"]).ShouldBe("Failing Commit-Person");
        (await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{id}/verify"))["valid"]!.GetValue<bool>().ShouldBeTrue();

        // Once the database takes it, the same erasure goes through whole.
        await _admin.Do(id, "erase-personal-data", new { legalBasis = "court order 14" });
        ShouldHoldNoPersonalData("the stored events", string.Join("\n", await StoredEvents(id)));
    }

    [Fact]
    public async Task an_honest_erasure_verifies_and_an_edit_of_an_erased_event_or_of_the_erasures_record_does_not()
    {
        var chain = fixture.Host.Services.GetRequiredService<EventChain>();
        async Task<ChainVerification?> CommandLine(Guid id)
        {
            var report = await VerifyCommand.VerifyAll(chain, new StringWriter(), CancellationToken.None);
            return report.Failures.SingleOrDefault(f => f.ComplaintId == id);
        }

        var editedData = await Resolved(28, "Tamper Data-Person");
        var editedRecord = await Resolved(29, "Tamper Record-Person");
        foreach (var id in new[] { editedData, editedRecord })
        {
            await _admin.Do(id, "erase-personal-data", new { legalBasis = "court order 15" });
            var honest = await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{id}/verify");
            honest["valid"]!.GetValue<bool>().ShouldBeTrue();
            honest["redacted"]!.AsArray().Count.ShouldBe(3); // the receipt, the evidence, the resolution
            (await CommandLine(id)).ShouldBeNull();
        }

        // An erased event edited afterwards no longer has the hash its erasure recorded.
        await AuditSql.Execute(fixture,
            """update complaints.mt_events set data = jsonb_set(data, '{party}', '"someone else"') where stream_id = @id and type = 'evidence_recorded'""",
            ("id", editedData));
        var afterData = await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{editedData}/verify");
        afterData["valid"]!.GetValue<bool>().ShouldBeFalse();
        afterData["firstMismatch"]!["version"]!.GetValue<long>().ShouldBe(5);
        Text(afterData["firstMismatch"]!["reason"]).ShouldContain("from what the erasure at version 7 recorded");
        (await CommandLine(editedData))!.FirstMismatch!.Version.ShouldBe(5);

        // The record edited to match an edit: the erased event verifies against the edited record, but the erasure's own seal breaks.
        await AuditSql.Execute(fixture,
            """update complaints.mt_events set data = jsonb_set(data, '{party}', '"someone else"') where stream_id = @id and type = 'evidence_recorded'""",
            ("id", editedRecord));
        await AuditSql.Execute(fixture,
            """
            update complaints.mt_events e set data = jsonb_set(e.data, '{redactions,1,dataHash}',
                to_jsonb((select encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex') from complaints.mt_events x
                          where x.stream_id = @id and x.type = 'evidence_recorded')))
            where e.stream_id = @id and e.type = 'personal_data_erased'
            """, ("id", editedRecord));
        var afterRecord = await AuditSql.GetJson(fixture, "auditor.zhou", $"/api/complaints/{editedRecord}/verify");
        afterRecord["valid"]!.GetValue<bool>().ShouldBeFalse();
        afterRecord["firstMismatch"]!["version"]!.GetValue<long>().ShouldBe(7);
        (await CommandLine(editedRecord))!.FirstMismatch!.Version.ShouldBe(7);
    }
}

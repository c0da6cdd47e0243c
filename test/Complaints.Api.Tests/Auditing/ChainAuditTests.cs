using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Auditing;
using Complaints.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Auditing;

/// <summary>Tamper-evident history: the chain PostgreSQL seals, recomputed by /verify and by the command line's verify.</summary>
public sealed class ChainAuditTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    private async Task<Guid> AssignedComplaint()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal", at = At(2) });
        await _dispatcher.Do(id, "assign", new { handler = "handler.li", at = At(3) });
        return id;
    }

    private async Task<JsonNode> Verify(Guid id) => await AuditSql.GetJson(fixture, _auditor.User, $"/api/complaints/{id}/verify");

    [Fact]
    public async Task an_untouched_complaint_verifies_and_its_history_shows_each_events_seal()
    {
        var id = await AssignedComplaint();

        var verification = await Verify(id);
        verification["valid"]!.GetValue<bool>().ShouldBeTrue();
        verification["events"]!.GetValue<int>().ShouldBe(5);
        verification["firstMismatch"].ShouldBeNull();

        // The seals in the history are the ones PostgreSQL stored, each chained to the one before.
        var history = await _auditor.History(id);
        var stored = await AuditSql.Lines(fixture,
            "select previous_hash || ' ' || hash from complaints.event_hashes where stream_id = @id order by version", ("id", id));
        stored.Select(s => s.Split(' ')[1]).ShouldBe(history.Select(e => Text(e!["hash"])));
        stored.Select(s => s.Split(' ')[0]).ShouldBe([EventChain.Genesis, .. history.Take(4).Select(e => Text(e!["hash"]))]);
    }

    [Fact]
    public async Task an_event_altered_directly_in_postgresql_is_reported_as_the_first_mismatch()
    {
        var id = await AssignedComplaint();
        var triaged = (await _auditor.History(id))[3]!;

        (await AuditSql.Execute(fixture,
            """update complaints.mt_events set data = jsonb_set(data, '{category}', '"Fraud"') where stream_id = @id and version = 4""",
            ("id", id))).ShouldBe(1);

        var verification = await Verify(id);
        verification["valid"]!.GetValue<bool>().ShouldBeFalse();
        verification["events"]!.GetValue<int>().ShouldBe(5);
        var mismatch = verification["firstMismatch"]!;
        mismatch["version"]!.GetValue<long>().ShouldBe(4);
        mismatch["sequence"]!.GetValue<long>().ShouldBe(triaged["sequence"]!.GetValue<long>());
        Text(mismatch["storedHash"]).ShouldBe(Text(triaged["hash"]));
        Text(mismatch["expectedHash"]).ShouldNotBe(Text(triaged["hash"]));
        Text(mismatch["reason"]).ShouldContain("data");
    }

    [Fact]
    public async Task a_changed_user_or_a_deleted_event_breaks_the_chain_too()
    {
        var reassigned = await AssignedComplaint();
        await AuditSql.Execute(fixture, "update complaints.mt_events set user_name = 'someone.else' where stream_id = @id and version = 2",
            ("id", reassigned));
        (await Verify(reassigned))["firstMismatch"]!["version"]!.GetValue<long>().ShouldBe(2);

        var shortened = await AssignedComplaint();
        await AuditSql.Execute(fixture, "delete from complaints.mt_events where stream_id = @id and version = 5", ("id", shortened));
        var verification = await Verify(shortened);
        verification["valid"]!.GetValue<bool>().ShouldBeFalse();
        verification["firstMismatch"]!["version"]!.GetValue<long>().ShouldBe(5);
        Text(verification["firstMismatch"]!["reason"]).ShouldContain("no longer in the event store");
    }

    [Fact]
    public async Task the_command_lines_verify_checks_every_stream_and_finds_the_altered_one()
    {
        var clean = await AssignedComplaint();
        var altered = await AssignedComplaint();
        await AuditSql.Execute(fixture,
            """update complaints.mt_events set data = jsonb_set(data, '{handler}', '"handler.wrong"') where stream_id = @id and version = 5""",
            ("id", altered));

        var output = new StringWriter();
        var report = await VerifyCommand.VerifyAll(fixture.Host.Services.GetRequiredService<EventChain>(), output, CancellationToken.None);

        report.Valid.ShouldBeFalse();
        report.Streams.ShouldBeGreaterThanOrEqualTo(2);
        var failure = report.Failures.Where(f => f.ComplaintId == altered).ShouldHaveSingleItem();
        failure.FirstMismatch!.Version.ShouldBe(5);
        report.Failures.ShouldNotContain(f => f.ComplaintId == clean);
        output.ToString().ShouldContain($"MISMATCH complaint {altered} version 5");
        output.ToString().ShouldContain("FAILED");
    }

    [Fact]
    public async Task verifying_an_unknown_complaint_is_404()
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{Guid.NewGuid()}/verify");
            s.WithRequestHeader(ApiFixture.UserHeader, _auditor.User);
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
        });
        Text(Problem(result)["title"]).ShouldBe("No such complaint");
    }
}

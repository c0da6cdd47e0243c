using System.Net;
using Alba;
using Complaints.Api.Commanding;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

public sealed class IdempotencyTests(ApiFixture fixture)
{
    private readonly Staff _staff = new(fixture.Host);
    private ComplaintsApi Intake => _staff.Intake;

    [Fact]
    public async Task a_retried_receive_with_the_same_idempotency_key_returns_the_first_answer_and_records_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Intake.Receive(idempotencyKey: key);
        var retry = await Intake.Receive(idempotencyKey: key);

        Text(retry["id"]).ShouldBe(Text(first["id"]));
        Text(retry["trackingNumber"]).ShouldBe(Text(first["trackingNumber"]));
        await using var session = fixture.Store.QuerySession();
        var streams = await session.Events.QueryRawEventDataOnly<ComplaintReceived>()
            .Where(e => e.TrackingNumber == Text(first["trackingNumber"])).CountAsync();
        streams.ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_receives_with_the_same_key_create_one_complaint()
    {
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Intake.Receive(idempotencyKey: key)));
        answers.Select(a => Text(a["id"])).Distinct().Count().ShouldBe(1);
        await using var session = fixture.Store.QuerySession();
        var trackingNumber = Text(answers[0]["trackingNumber"]);
        (await session.Events.QueryRawEventDataOnly<ComplaintReceived>()
            .Where(e => e.ComplaintId == Guid.Parse(Text(answers[0]["id"]))).CountAsync()).ShouldBe(1);
        trackingNumber.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task different_keys_create_different_complaints()
    {
        var a = await Intake.Receive(idempotencyKey: Guid.NewGuid().ToString());
        var b = await Intake.Receive(idempotencyKey: Guid.NewGuid().ToString());
        Text(a["id"]).ShouldNotBe(Text(b["id"]));
    }

    private Task<Guid> Assigned() => _staff.Assigned();

    /// <summary>A command under a key, by default from a system that retries what it sends (and may give every command).</summary>
    private async Task<IScenarioResult> Command(Guid id, string action, object body, string key, string user = "service.retrying",
        HttpStatusCode status = HttpStatusCode.OK) =>
        await _staff.Intake.As(user).Post(id, action, body, status, idempotencyKey: key);

    [Fact]
    public async Task a_key_whose_receipt_is_older_than_receipts_are_kept_names_a_new_command()
    {
        var id = await Assigned();
        var key = Guid.NewGuid().ToString();
        var evidence = new { kind = "Photo", description = "stain on the ceiling" };
        await Command(id, "evidence", evidence, key);
        // The receipt as it would be eight days on.
        (await TestSql.Execute(fixture.ConnectionString,
            "update complaints.mt_doc_commandreceipt set data = jsonb_set(data, '{recordedAt}', to_jsonb(@at)) where id like '%:' || @key",
            ("at", DateTimeOffset.UtcNow.AddDays(-8).ToString("O")), ("key", key))).ShouldBe(1);

        var again = await Command(id, "evidence", evidence, key);

        again.Context.Response.Headers.ContainsKey("Idempotent-Replayed").ShouldBeFalse();
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(2);
        // The new command holds the key now: its retry is a repeat again.
        var retry = await Command(id, "evidence", evidence, key);
        retry.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(2);
    }

    [Fact]
    public async Task the_sweep_removes_the_receipts_older_than_they_are_kept_and_only_those()
    {
        var (old, fresh) = ("sweep:" + Guid.NewGuid(), "sweep:" + Guid.NewGuid());
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Store(new CommandReceipt(old, "f", Guid.NewGuid(), 1, DateTimeOffset.UtcNow - ReceiptKeeping.Default - TimeSpan.FromHours(1)));
            session.Store(new CommandReceipt(fresh, "f", Guid.NewGuid(), 1, DateTimeOffset.UtcNow - ReceiptKeeping.Default + TimeSpan.FromHours(1)));
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (await fixture.Host.Services.GetRequiredService<ReceiptSweep>().Sweep(TestContext.Current.CancellationToken)).ShouldBeGreaterThanOrEqualTo(1);

        await using var query = fixture.Store.QuerySession();
        (await query.LoadAsync<CommandReceipt>(old, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await query.LoadAsync<CommandReceipt>(fresh, TestContext.Current.CancellationToken)).ShouldNotBeNull();
    }

    [Fact]
    public async Task a_retried_command_with_the_same_key_gets_the_first_answer_again_and_records_nothing()
    {
        var id = await Assigned();
        var key = Guid.NewGuid().ToString();
        var evidence = new { kind = "Photo", description = "stain on the ceiling" };

        var first = await Command(id, "evidence", evidence, key);
        await _staff.Handler.Do(id, "evidence", new { kind = "Statement", description = "the neighbour's account" });
        var retry = await Command(id, "evidence", evidence, key);

        // The retry is answered with the case as the first request left it, and says so.
        retry.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");
        retry.Context.Response.Headers.ETag.ToString().ShouldBe(first.Context.Response.Headers.ETag.ToString());
        Int(Json(retry)["evidenceCount"]).ShouldBe(1);
        first.Context.Response.Headers.ContainsKey("Idempotent-Replayed").ShouldBeFalse();
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(2);
    }

    [Fact]
    public async Task concurrent_commands_with_the_same_key_record_once()
    {
        var id = await Assigned();
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Command(id, "evidence", new { kind = "Photo", description = "stain" }, key)));
        answers.Select(a => a.Context.Response.Headers.ETag.ToString()).Distinct().Count().ShouldBe(1);
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(1);
    }

    [Fact]
    public async Task a_key_reused_for_a_different_command_is_422_and_records_nothing()
    {
        var id = await Assigned();
        var key = Guid.NewGuid().ToString();
        await Command(id, "evidence", new { kind = "Photo", description = "stain" }, key);

        var problem = Problem(await Command(id, "evidence", new { kind = "Photo", description = "another stain" }, key,
            status: HttpStatusCode.UnprocessableEntity));
        Text(problem["title"]).ShouldContain("Idempotency-Key");
        Problem(await Command(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal" }, key,
            status: HttpStatusCode.UnprocessableEntity));
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(1);
    }

    [Fact]
    public async Task the_same_key_from_another_user_is_another_request()
    {
        var id = await Assigned();
        var key = Guid.NewGuid().ToString();
        await Command(id, "evidence", new { kind = "Photo", description = "stain" }, key, user: "service.one");
        await Command(id, "evidence", new { kind = "Photo", description = "stain" }, key, user: "service.two");
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(2);
    }

    [Fact]
    public async Task a_refused_command_under_a_key_keeps_the_key_free_for_its_retry()
    {
        var id = await Intake.ReceiveId();
        var key = Guid.NewGuid().ToString();
        await Command(id, "evidence", new { kind = "Photo", description = "stain" }, key, status: HttpStatusCode.Conflict);
        await _staff.Dispatcher.Do(id, "accept");
        await _staff.Dispatcher.Do(id, "assign", new { department = Staff.Department, handler = _staff.Handler.User });
        await Command(id, "evidence", new { kind = "Photo", description = "stain" }, key);
        Types(await _staff.Auditor.History(id)).Count(t => t == "evidence_recorded").ShouldBe(1);
    }

    [Fact]
    public async Task a_key_longer_than_200_characters_is_400() =>
        Problem(await Command(await Intake.ReceiveId(), "accept", new { }, new string('k', 201), status: HttpStatusCode.BadRequest));
}

using System.Text.Json;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Complaints.Contracts.V1;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Wolverine.Tracking;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// Commands from another service on the complaints-commands queue, decided by the same code as over HTTP and recorded
/// once per message id.
/// </summary>
[Collection(nameof(MessagingCollection))]
public sealed class CommandQueueTests(MessagingFixture fixture)
{
    private readonly ComplaintsApi _api = new(fixture.Host, "auditor.wang");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");

    private static JsonElement Body(object fields) => JsonSerializer.SerializeToElement(fields);

    /// <summary>
    /// The other service sends; the session ends when the API has handled everything it sent. A message without a token
    /// is signed for its by, as a service.
    /// </summary>
    private async Task<ITrackedSession> Send(params ComplaintCommandMessage[] messages) =>
        await fixture.Subscriber.TrackActivity().AlsoTrack(fixture.Host).IncludeExternalTransports().Timeout(TimeSpan.FromSeconds(30))
            .DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async bus =>
            {
                foreach (var message in messages) await bus.SendAsync(message.Token is null ? Signed(message) : message);
            }));

    private ComplaintCommandMessage Signed(ComplaintCommandMessage message) => message with { Token = TokenFor(message.By!, Roles.Service) };

    private string TokenFor(string sender, params string[] roles) =>
        fixture.Host.Services.GetRequiredService<TokenSettings>().Issue(sender, roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    [Fact]
    public async Task a_service_receives_and_works_a_complaint_through_the_queue_as_it_would_over_http()
    {
        // Sent back to back: the queue decides them in the order they were sent.
        var id = Guid.NewGuid();
        await Send(
            new ComplaintCommandMessage("receive", id, Body(NewComplaint()), "hotline-bot"),
            new ComplaintCommandMessage("accept", id, Body(new { note = "in scope" }), "dispatch-service"),
            new ComplaintCommandMessage("assign", id, Body(new { department = "Property Maintenance", handler = "handler.li" }), "dispatch-service",
                ExpectedVersion: 3));

        var details = await _api.Get(id);
        Text(details["status"]).ShouldBe("Assigned");
        Int(details["version"]).ShouldBe(4);
        var history = await _api.History(id);
        history.Select(e => Text(e!["user"])).ShouldBe(["hotline-bot", "dispatch-service", "dispatch-service", "dispatch-service"]);
        Types(history).ShouldBe(["complaint_received", "complaint_accepted", "service_promises_given", "complaint_assigned"]);
    }

    [Fact]
    public async Task a_lawful_erasure_on_the_queue_masks_the_complainant_as_over_http()
    {
        var id = await _intake.ReceiveId(NewComplaint(name: "Gao Yan", phone: "13711112222"));
        await Send(new ComplaintCommandMessage("erase-personal-data", id, Body(new { legalBasis = "PIPL art. 47" }), "privacy-office",
            Token: TokenFor("privacy-office", Roles.Admin)));

        var details = await _api.Get(id);
        Text(details["complainant"]!["name"]).ShouldBe("[erased]");
        var history = await _api.History(id);
        Types(history).ShouldBe(["complaint_received", "personal_data_erased"]);
        history.ToJsonString().ShouldNotContain("Gao Yan");
        history.ToJsonString().ShouldNotContain("13711112222");
    }

    [Fact]
    public async Task a_lawful_erasure_removes_the_dead_lettered_commands_that_carry_the_complaints_data()
    {
        var id = await _intake.ReceiveId(NewComplaint(name: "Lu Qingshan", phone: "13633334444"));
        var other = await _intake.ReceiveId();
        // The same receive sent again, and a resolution the state refuses: both die on the queue, with what they carried.
        await Send(
            new ComplaintCommandMessage("receive", id, Body(NewComplaint(name: "Lu Qingshan", phone: "13633334444")), "hotline-bot"),
            new ComplaintCommandMessage("resolve", id, Body(new { remedy = "Repair", description = "Lu Qingshan's door", reply = "x" }), "dispatch-service"),
            new ComplaintCommandMessage("resolve", other, Body(new { remedy = "Repair", description = "x", reply = "x" }), "dispatch-service"));
        (await DeadLetterReasons(id)).Count.ShouldBe(2);
        (await MessagesHolding("Lu Qingshan")).ShouldBeGreaterThan(0L);
        var othersDeadLetters = (await DeadLetterReasons(other)).Count;
        othersDeadLetters.ShouldBeGreaterThan(0);

        await Send(new ComplaintCommandMessage("erase-personal-data", id, Body(new { legalBasis = "PIPL art. 47" }), "privacy-office",
            Token: TokenFor("privacy-office", Roles.Admin)));

        Text((await _api.Get(id))["complainant"]!["name"]).ShouldBe("[erased]");
        (await DeadLetterReasons(id)).ShouldBeEmpty();
        (await MessagesHolding("Lu Qingshan")).ShouldBe(0L);
        (await MessagesHolding("13633334444")).ShouldBe(0L);
        (await DeadLetterReasons(other)).Count.ShouldBe(othersDeadLetters);
    }

    /// <summary>The messages kept anywhere in the message store (queues, inbox, outbox, dead letters) whose body holds the text.</summary>
    private async Task<long> MessagesHolding(string text)
    {
        var tables = await TestSql.Lines(fixture.ConnectionString,
            """
            select table_schema || '.' || table_name from information_schema.columns
            where table_name like 'wolverine%' and column_name = 'body' and data_type = 'bytea' order by 1
            """);
        tables.ShouldContain("complaints.wolverine_dead_letters");
        var count = 0L;
        foreach (var table in tables)
            count += (long)(await TestSql.Scalar(fixture.ConnectionString,
                $"select count(*) from {table} where position(convert_to(@text, 'UTF8') in body) > 0", ("text", text)) ?? 0L);
        return count;
    }

    [Fact]
    public async Task the_same_message_id_delivered_twice_records_its_events_once()
    {
        var id = await _intake.ReceiveId();
        var messageId = Guid.NewGuid().ToString();
        // An urging may be repeated, so only the message id keeps the second delivery from recording another.
        var urge = new ComplaintCommandMessage("urge", id, Body(new { note = "callback today" }), "supervision-service", MessageId: messageId);

        var session = await Send(urge, urge);

        session.Executed.MessagesOf<ComplaintCommandMessage>().Count().ShouldBe(2);
        Types(await _api.History(id)).ShouldBe(["complaint_received", "complaint_urged"]);
    }

    [Fact]
    public async Task two_services_may_number_their_messages_alike()
    {
        var id = await _intake.ReceiveId();
        await Send(new ComplaintCommandMessage("accept", id, Body(new { }), "dispatch-service", MessageId: "42"));
        await Send(new ComplaintCommandMessage("urge", id, Body(new { note = "call back today" }), "supervision-service", MessageId: "42"));
        Types(await _api.History(id)).ShouldBe(["complaint_received", "complaint_accepted", "service_promises_given", "complaint_urged"]);
    }

    [Fact]
    public async Task a_command_the_service_cannot_take_goes_to_the_dead_letters_with_its_reason_and_records_nothing()
    {
        var id = await _intake.ReceiveId();
        await Send(
            new ComplaintCommandMessage("resolve", id, Body(new { remedy = "Repair", description = "x", reply = "x" }), "dispatch-service"),
            new ComplaintCommandMessage("no-such-thing", id, Body(new { }), "dispatch-service"),
            new ComplaintCommandMessage("triage", id, Body(new { category = "Noise", severity = "Loud", priority = "Normal" }), "dispatch-service"));

        Types(await _api.History(id)).ShouldBe(["complaint_received"]);
        var reasons = await DeadLetterReasons(id);
        reasons.ShouldContain(r => r.Contains("cannot resolve"));
        reasons.ShouldContain(r => r.Contains("'no-such-thing' is not a command"));
        reasons.ShouldContain(r => r.Contains("severity"));
    }

    [Fact]
    public async Task a_step_dated_before_the_previous_one_is_refused_on_the_queue_as_over_http()
    {
        // Only the importer records such history (as the source dated it, with a note); a service on the queue may not.
        var id = await _intake.ReceiveId();
        var received = Time((await _api.Get(id))["receivedAt"]);
        await Send(new ComplaintCommandMessage("accept", id, Body(new { at = received.AddHours(-1).ToString("O") }), "dispatch-service"));

        Types(await _api.History(id)).ShouldBe(["complaint_received"]);
        (await DeadLetterReasons(id)).ShouldContain(r => r.Contains("before the complaint's previous step"));
    }

    [Fact]
    public async Task a_receive_under_the_all_zero_id_goes_to_the_dead_letters_saying_so()
    {
        await Send(new ComplaintCommandMessage("receive", Guid.Empty, Body(NewComplaint()), "hotline-bot"));

        (await DeadLetterReasons(Guid.Empty)).ShouldContain(r => r.Contains("complaintId: must not be the all-zero id"));
        (await TestSql.Scalar(fixture.ConnectionString, "select count(*) from complaints.mt_streams where id = @id", ("id", Guid.Empty))).ShouldBe(0L);
    }

    [Fact]
    public async Task a_command_for_a_complaint_not_received_yet_waits_out_of_the_way_and_is_taken_once_the_receive_arrives()
    {
        var early = Guid.NewGuid();
        var other = await _intake.ReceiveId();
        // Sent without waiting for the API to be done: the early command's retries go on for 36 s.
        var bus = fixture.Subscriber.Services.GetRequiredService<IMessageBus>();
        await bus.SendAsync(Signed(new ComplaintCommandMessage("accept", early, Body(new { }), "dispatch-service", MessageId: "early-accept-" + early)));
        await bus.SendAsync(Signed(new ComplaintCommandMessage("urge", other, Body(new { note = "behind the early one" }), "dispatch-service")));

        // The command behind the early one is not held up by its retries.
        await MessagingFixture.Eventually(async () => Types(await _api.History(other)).Contains("complaint_urged"),
            "the command behind a complaint not found yet is taken", seconds: 15);

        await bus.SendAsync(Signed(new ComplaintCommandMessage("receive", early, Body(NewComplaint(receivedAt: DateTimeOffset.UtcNow)), "hotline-bot")));
        await MessagingFixture.Eventually(async () => (long)(await TestSql.Scalar(fixture.ConnectionString,
                "select count(*) from complaints.mt_events where stream_id = @id and type = 'complaint_accepted'", ("id", early)) ?? 0L) == 1,
            "the early accept is taken on a later try");
        Types(await _api.History(early)).Take(2).ShouldBe(["complaint_received", "complaint_accepted"]);
    }

    [Fact]
    public async Task a_command_on_the_all_zero_id_goes_to_the_dead_letters_at_once()
    {
        await Send(new ComplaintCommandMessage("accept", Guid.Empty, Body(new { }), "dispatch-service", MessageId: "zero-" + Guid.NewGuid()));

        (await DeadLetterReasons(Guid.Empty)).ShouldContain(r => r.Contains("complaintId: must not be the all-zero id"));
    }

    [Fact]
    public async Task a_command_without_a_valid_token_is_dead_lettered_and_records_nothing()
    {
        var id = await _intake.ReceiveId();
        var forged = new TokenSettings(TokenSettings.DevelopmentIssuer, "complaints-api", new string('x', 64))
            .Issue("dispatch-service", [Roles.Service], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        var expired = fixture.Host.Services.GetRequiredService<TokenSettings>()
            .Issue("dispatch-service", [Roles.Service], TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1));
        await Send(
            new ComplaintCommandMessage("accept", id, Body(new { }), "dispatch-service", MessageId: "unsigned", Token: ""),
            new ComplaintCommandMessage("accept", id, Body(new { }), "dispatch-service", MessageId: "forged", Token: forged),
            new ComplaintCommandMessage("accept", id, Body(new { }), "dispatch-service", MessageId: "expired", Token: expired));

        Types(await _api.History(id)).ShouldBe(["complaint_received"]);
        var reasons = await DeadLetterReasons(id);
        reasons.ShouldContain(r => r.Contains("token: is required"));
        reasons.ShouldContain(r => r.Contains("token: is not valid: it is not signed with the configured key"));
        reasons.ShouldContain(r => r.Contains("token: is not valid: it has expired"));
    }

    [Fact]
    public async Task the_events_name_the_sender_its_token_proves_or_a_person_acting_through_it_and_never_another()
    {
        var id = await _intake.ReceiveId();
        var crm = TokenFor("crm", Roles.Service);
        await Send(
            new ComplaintCommandMessage("accept", id, Body(new { }), null, Token: crm),
            new ComplaintCommandMessage("urge", id, Body(new { note = "callback" }), "crm/agent.li", Token: crm),
            new ComplaintCommandMessage("urge", id, Body(new { note = "as another service" }), "dispatch-service", Token: crm),
            new ComplaintCommandMessage("urge", id, Body(new { note = "as the system" }), "system", Token: crm),
            new ComplaintCommandMessage("urge", id, Body(new { note = "as an importer" }), "crmx/agent", Token: crm),
            new ComplaintCommandMessage("urge", id, Body(new { note = "signed as the system" }), null,
                Token: TokenFor("system", Roles.Service)));

        var history = await _api.History(id);
        history.Skip(1).Select(e => Text(e!["user"])).ShouldBe(["crm", "crm", "crm/agent.li"]);
        var reasons = await DeadLetterReasons(id);
        reasons.Count(r => r.Contains("by: must be the token's subject crm")).ShouldBe(3);
        reasons.ShouldContain(r => r.Contains("token: names system, which is the system's own"));
    }

    [Fact]
    public async Task a_sender_gives_only_the_commands_its_roles_do_and_on_the_cases_they_allow()
    {
        var id = await _intake.ReceiveId();
        await Send(
            new ComplaintCommandMessage("accept", id, Body(new { }), null, Token: TokenFor("triage-bot", Roles.Dispatcher)),
            new ComplaintCommandMessage("erase-personal-data", id, Body(new { legalBasis = "PIPL art. 47" }), null,
                Token: TokenFor("triage-bot", Roles.Dispatcher)),
            new ComplaintCommandMessage("resolve", id, Body(new { remedy = "Explanation", description = "x", reply = "x" }), null,
                Token: TokenFor("handler-app", Roles.Handler)));

        Types(await _api.History(id)).ShouldBe(["complaint_received", "complaint_accepted", "service_promises_given"]);
        var reasons = await DeadLetterReasons(id);
        reasons.ShouldContain(r => r.Contains("cannot erase-personal-data: the sender's roles (dispatcher) do not do this work"));
        reasons.ShouldContain(r => r.Contains("cannot resolve: a handler acts only on a case assigned to them or to their department"));
    }

    [Fact]
    public async Task one_sender_cannot_take_another_senders_message_id_first()
    {
        var id = await _intake.ReceiveId();
        await Send(new ComplaintCommandMessage("accept", id, Body(new { }), null, MessageId: "7", Token: TokenFor("intruder", Roles.Service)));
        await Send(new ComplaintCommandMessage("urge", id, Body(new { note = "the real one" }), "dispatch-service", MessageId: "7"));

        Types(await _api.History(id)).ShouldContain("complaint_urged");
        (await DeadLetterReasons(id)).ShouldBeEmpty();
    }

    private Task<List<string>> DeadLetterReasons(Guid id) => TestSql.Lines(fixture.ConnectionString,
        """
        select exception_message from complaints.wolverine_dead_letters
        where message_type = @type and position(convert_to(@id, 'UTF8') in body) > 0
        """, ("type", typeof(ComplaintCommandMessage).FullName!), ("id", id.ToString()));
}

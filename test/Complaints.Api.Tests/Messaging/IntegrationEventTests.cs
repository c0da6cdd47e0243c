using System.Text.Json.Nodes;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using Wolverine;
using Wolverine.Tracking;
using static Complaints.Api.Tests.Support.ComplaintsApi;
using V1 = Complaints.Contracts.V1;

namespace Complaints.Api.Tests.Messaging;

/// <summary>
/// What other services hear: the versioned integration events, published through the outbox to the complaints-events
/// queue (heard here by a second service) and to webhooks.
/// </summary>
[Collection(nameof(MessagingCollection))]
public sealed class IntegrationEventTests(MessagingFixture fixture)
{
    private readonly Staff _staff = new(fixture.Host);

    [Fact]
    public async Task a_subscriber_hears_exactly_the_integration_events_of_a_whole_lifecycle_and_nothing_personal()
    {
        var id = await _staff.Intake.ReceiveId(NewComplaint(receivedAt: DateTimeOffset.UtcNow.AddHours(-1), name: "Xu Minghua", phone: "13912345678"));
        var (dispatcher, handler) = (_staff.Dispatcher, _staff.Handler);
        await dispatcher.Do(id, "accept");
        await dispatcher.Do(id, "triage", new { category = "Noise", severity = "High", priority = "High" });
        await dispatcher.Do(id, "assign", new { handler = handler.User });
        await handler.Do(id, "first-response", new { note = "called Xu Minghua back" });
        await handler.Do(id, "escalate", new { reason = "the karaoke bar ignores the office", escalatedTo = "district office" });
        await handler.Do(id, "resolve", new { remedy = "Explanation", description = "warning issued", reply = "We warned the bar." });
        await dispatcher.Do(id, "follow-up", new { satisfied = false, score = 2, comment = "still loud at night" });
        await _staff.Reviewer.Do(id, "re-review", new { revisedPlan = "night inspection with the police" });
        await handler.Do(id, "resolve", new { remedy = "Repair", description = "sound insulation fitted", reply = "Insulation fitted." });
        var closed = await dispatcher.Do(id, "follow-up", new { satisfied = true, score = 5 });

        string[] expected =
        [
            nameof(V1.ComplaintReceived), nameof(V1.ComplaintAssigned), nameof(V1.ComplaintEscalated), nameof(V1.ComplaintResolved),
            nameof(V1.FollowUpRecorded), nameof(V1.ReReviewRequested), nameof(V1.ComplaintResolved), nameof(V1.FollowUpRecorded),
            nameof(V1.ComplaintClosed),
        ];
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(id).Count >= expected.Length), "every integration event is heard");
        await Task.Delay(1000); // and nothing more arrives after them
        var heard = fixture.Events.Of(id);
        heard.Select(e => e.GetType().Name).ShouldBe(expected);

        // Each names the version of the case it came from, so that a receiver can drop a redelivery.
        heard.Select(e => e.Version).ShouldBeUnique();
        heard[^1].Version.ShouldBe(Int(closed["version"]));
        heard.ShouldAllBe(e => e.TrackingNumber == Text(closed["trackingNumber"]));
        ((V1.ComplaintAssigned)heard[1]).Handler.ShouldBe("handler.li");
        ((V1.ComplaintClosed)heard[^1]).Reason.ShouldBe("Satisfied");
        ((V1.ReReviewRequested)heard[5]).Round.ShouldBe(1);

        var published = JsonSerializer.Serialize<object[]>([.. heard]);
        foreach (var personal in new[] { "Xu Minghua", "13912345678", "zhang.wei@example.cn", "Block 3, Unit 502", "still loud" })
            published.ShouldNotContain(personal);
    }

    [Fact]
    public async Task other_services_never_hear_an_access_code_nor_that_one_was_issued()
    {
        var api = new ComplaintsApi(fixture.Host, "service.desk");
        var received = await api.Receive(NewComplaint(receivedAt: DateTimeOffset.UtcNow.AddHours(-1)));
        var id = Guid.Parse(Text(received["id"]));
        var issued = Json(await api.Post(id, "access-code", null, HttpStatusCode.OK));
        await api.Do(id, "decline", new { reason = "out of scope", explanation = "A matter for the courts." });

        // The closing is heard last, so everything recorded before it has been published by then.
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(id).Count >= 2), "the receipt and the closing are heard");
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Webhooks.Taken.Count(t => Delivered(t.Body) == id) >= 2),
            "the webhook takes the receipt and the closing");
        var heard = fixture.Events.Of(id);
        heard.Select(e => e.GetType().Name).ShouldBe([nameof(V1.ComplaintReceived), nameof(V1.ComplaintClosed)]);
        heard[^1].Version.ShouldBe(4); // received, code issued, declined, closed

        var published = JsonSerializer.Serialize<object[]>([.. heard]) + string.Join("\n", fixture.Webhooks.Taken.Select(t => t.Raw));
        foreach (var code in new[] { Text(received["accessCode"]), Text(issued["accessCode"]) })
        {
            code.ShouldNotBeNullOrEmpty();
            published.ShouldNotContain(code);
            published.ShouldNotContain(code.Replace("-", ""));
            published.ShouldNotContain(Api.Tracking.AccessCodes.HashOf(code));
        }
    }

    [Fact]
    public async Task a_transaction_that_fails_at_commit_publishes_nothing()
    {
        // A deferred trigger refuses, at commit, any event that carries this test's own category: the receive decides,
        // appends its event and puts ComplaintReceived in its outbox, and only then does its transaction fail.
        var category = "commit-fails-" + Guid.NewGuid().ToString("N")[..8];
        var refusal = "refuse_" + category.Replace('-', '_');
        await TestSql.Execute(fixture.ConnectionString,
            $"""
            create function complaints.{refusal}() returns trigger language plpgsql as $$
            begin
                if position('{category}' in new.data::text) > 0 then raise exception 'the commit of {category} is refused'; end if;
                return null;
            end $$;
            create constraint trigger {refusal} after insert on complaints.mt_events
                deferrable initially deferred for each row execute function complaints.{refusal}();
            """);
        IScenarioResult failed;
        try
        {
            failed = await fixture.Host.Scenario(s =>
            {
                s.Post.Json(NewComplaint(category: category)).ToUrl("/api/complaints");
                s.WithRequestHeader(ApiFixture.UserHeader, _staff.Intake.User);
                s.IgnoreStatusCode();
            });
        }
        finally
        {
            await TestSql.Execute(fixture.ConnectionString, $"drop trigger {refusal} on complaints.mt_events; drop function complaints.{refusal}()");
        }

        // The command failed, and nothing of it was recorded.
        failed.Context.Response.StatusCode.ShouldBe(500, failed.ReadAsText());
        Problem(failed);
        (await TestSql.Scalar(fixture.ConnectionString, "select count(*) from complaints.mt_events where position(@category in data::text) > 0",
            ("category", category))).ShouldBe(0L);

        // The same complaint again, the trigger gone: recorded, published and heard. The failed one, published first if at
        // all, was not.
        var recorded = await _staff.Intake.ReceiveId(NewComplaint(category: category));
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(recorded).Any()), "the committed receive is heard");
        fixture.Events.All.OfType<V1.ComplaintReceived>().Where(e => e.Category == category).ShouldHaveSingleItem().ComplaintId.ShouldBe(recorded);
    }

    [Fact]
    public async Task concurrent_receives_under_one_key_publish_one_event()
    {
        // Eight receives race with one Idempotency-Key. Each decides and publishes its own ComplaintReceived into its
        // outbox; one commits, seven fail on the key and roll back, and only one is heard.
        var category = "race-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _staff.Intake.Receive(NewComplaint(category: category), idempotencyKey: key)));
        var winner = Guid.Parse(answers.Select(a => Text(a["id"])).Distinct().ShouldHaveSingleItem());

        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Events.Of(winner).Any()), "the committed receive is heard");
        await Task.Delay(1500);
        fixture.Events.All.OfType<V1.ComplaintReceived>().Where(e => e.Category == category).ShouldHaveSingleItem().ComplaintId.ShouldBe(winner);
    }

    [Fact]
    public async Task a_webhook_that_fails_twice_still_gets_the_event_signed_with_its_secret()
    {
        var id = await _staff.Intake.ReceiveId();

        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Webhooks.Taken.Any(t => Delivered(t.Body) == id)),
            "the webhook takes the delivery after its refusals");
        var (body, raw, headers) = fixture.Webhooks.Taken.Single(t => Delivered(t.Body) == id);
        var delivery = headers["Complaints-Delivery-Id"];
        fixture.Webhooks.AttemptsAt(delivery).ShouldBe(WebhookReceiver.Refusals + 1);
        Text(body["type"]).ShouldBe(typeof(V1.ComplaintReceived).FullName);
        Text(body["id"]).ShouldBe(delivery);
        headers["Complaints-Event-Type"].ShouldBe(typeof(V1.ComplaintReceived).FullName);

        // As a receiver checks it: the time of the attempt, near now, and the HMAC over that time and the body as sent.
        var parts = headers["Complaints-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        parts.Keys.ShouldBe(["t", "v1"]);
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["t"]));
        (DateTimeOffset.UtcNow - at).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MessagingFixture.WebhookSecret),
            Encoding.UTF8.GetBytes($"{parts["t"]}.{raw}")));
        parts["v1"].ShouldBe(signature);
    }

    [Fact]
    public async Task a_webhook_that_keeps_failing_keeps_its_delivery_as_a_dead_letter_that_an_administrator_replays()
    {
        var id = await _staff.Intake.ReceiveId();
        await _staff.Dispatcher.Do(id, "decline", new { reason = "out of scope", explanation = "A matter for the courts." });

        // Every attempt fails: after the last delay the delivery is a dead letter, visible to administrators.
        var deadLetter = Guid.Empty;
        await MessagingFixture.Eventually(async () => (deadLetter = await DeadWebhookDelivery(id)) != Guid.Empty,
            "the delivery becomes a dead letter");
        var listed = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(new { messageType = typeof(Api.Integration.WebhookDelivery).FullName, limit = 500 }).ToUrl("/api/admin/dead-letters/");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.root");
            s.StatusCodeShouldBeOk();
        });
        (await listed.ReadAsTextAsync()).ShouldContain(deadLetter.ToString());
        var status = Json(await fixture.Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/messaging");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.root");
            s.StatusCodeShouldBeOk();
        }));
        status["queues"]!.AsArray().Select(q => Text(q!["queue"])).ShouldBe(["complaints-commands", "complaints-events"]);
        status["deadLetters"]!.AsArray().ShouldContain(d => Text(d!["messageType"]) == typeof(Api.Integration.WebhookDelivery).FullName
            && d["count"]!.GetValue<long>() >= 1);

        // The endpoint is back; the administrator replays the dead letter and the event arrives.
        fixture.Webhooks.DownIsUp = true;
        await fixture.Host.Scenario(s =>
        {
            s.Post.Json(new { ids = new[] { deadLetter } }).ToUrl("/api/admin/dead-letters/replay");
            s.WithRequestHeader(ApiFixture.UserHeader, "admin.root");
            s.StatusCodeShouldBeOk();
        });
        // A replayed dead letter goes back to the inbox on the durability agent's next passes, which a loaded machine
        // (the whole suite at once) slows down.
        await MessagingFixture.Eventually(() => Task.FromResult(fixture.Webhooks.TakenWhileDown.Any(b => Delivered(b) == id)),
            "the replayed delivery arrives", seconds: 90);
        Text(fixture.Webhooks.TakenWhileDown.First(b => Delivered(b) == id)["data"]!["reason"]).ShouldBe("Declined");

        // The replay is on the record of administrators' actions: who, what they sent, the answer.
        var actions = JsonNode.Parse(await (await fixture.Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/actions?action=replay-dead-letters&limit=500");
            s.WithRequestHeader(ApiFixture.UserHeader, "auditor.zhou");
            s.StatusCodeShouldBeOk();
        })).ReadAsTextAsync())!.AsArray();
        actions.ShouldContain(a => Text(a!["action"]) == "replay-dead-letters" && Text(a["details"]).Contains(deadLetter.ToString())
            && a["status"]!.GetValue<int>() == 200 && Text(a["by"]) == "admin.root");
    }

    private async Task<Guid> DeadWebhookDelivery(Guid complaintId) => await TestSql.Scalar(fixture.ConnectionString,
        """
        select id from complaints.wolverine_dead_letters
        where message_type = @type and position(convert_to(@id, 'UTF8') in body) > 0
        """, ("type", typeof(Api.Integration.WebhookDelivery).FullName!), ("id", complaintId.ToString())) is Guid id ? id : Guid.Empty;

    private static Guid? Delivered(System.Text.Json.Nodes.JsonObject body) =>
        body["data"]?["complaintId"] is { } id ? Guid.Parse(id.GetValue<string>()) : null;
}

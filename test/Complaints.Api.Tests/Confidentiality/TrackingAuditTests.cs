using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// The complainant's own lookup: no account, a tracking number and a code only they know, the same answer for an
/// unknown number and a wrong code, and a limit per client address. Each test looks up from an address of its own.
/// </summary>
public sealed class TrackingAuditTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");

    /// <summary>The reverse proxy the test host believes (Complaints:Http:KnownProxies).</summary>
    public const string Proxy = "10.99.0.1";

    private async Task<IScenarioResult> Track(string address, string trackingNumber, string? code, HttpStatusCode status, string? forwardedFor = null) =>
        await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/track/{Uri.EscapeDataString(trackingNumber)}" + (code is null ? "" : $"?code={Uri.EscapeDataString(code)}"));
            s.WithRequestHeader("X-Anonymous", "true"); // no token: the complainant has no account
            if (forwardedFor is not null) s.WithRequestHeader("X-Forwarded-For", forwardedFor);
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address));
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task the_complainant_sees_status_dates_and_the_public_reply_and_nothing_else()
    {
        var acknowledgement = await _intake.Receive(NewComplaint(phone: "+86 138-0013-8000"));
        var id = Guid.Parse(Text(acknowledgement["id"]));
        var trackingNumber = Text(acknowledgement["trackingNumber"]);
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        // Solved at first contact: the intake agent records the resolution.
        await _intake.Do(id, "resolve", new { remedy = "Repair", description = "internal: the plumber was late", reply = "We fixed the pipe.", at = At(2) });

        var tracked = Json(await Track("10.20.0.1", trackingNumber.ToLowerInvariant(), "8000", HttpStatusCode.OK));
        tracked.Select(p => p.Key).ShouldBe(
            ["trackingNumber", "status", "closeReason", "receivedAt", "resolvedAt", "closedAt", "publicReply"], ignoreOrder: true);
        Text(tracked["trackingNumber"]).ShouldBe(trackingNumber);
        Text(tracked["status"]).ShouldBe("Resolved");
        Time(tracked["receivedAt"]).ShouldBe(Start);
        Time(tracked["resolvedAt"]).ShouldBe(Start.AddHours(2));
        tracked["closedAt"].ShouldBeNull();
        Text(tracked["publicReply"]).ShouldBe("We fixed the pipe.");
        tracked.ToJsonString().ShouldNotContain("plumber");
        tracked.ToJsonString().ShouldNotContain("Zhang Wei");
    }

    [Fact]
    public async Task an_unknown_number_and_a_wrong_code_get_the_same_answer()
    {
        var trackingNumber = Text((await _intake.Receive(NewComplaint(phone: "021 5555 4321")))["trackingNumber"]);
        Json(await Track("10.20.0.2", trackingNumber, "4321", HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");

        JsonObject Answer(IScenarioResult result)
        {
            var problem = Problem(result);
            problem.Remove("traceId");
            return problem;
        }
        var wrongCode = Answer(await Track("10.20.0.2", trackingNumber, "1234", HttpStatusCode.NotFound));
        var unknown = Answer(await Track("10.20.0.2", "C-1999-999999", "4321", HttpStatusCode.NotFound));
        var wrongFormat = Answer(await Track("10.20.0.2", "no such thing", "4321", HttpStatusCode.NotFound));
        wrongCode.ToJsonString().ShouldBe(unknown.ToJsonString());
        wrongFormat.ToJsonString().ShouldBe(unknown.ToJsonString());

        Problem(await Track("10.20.0.2", trackingNumber, null, HttpStatusCode.BadRequest))["detail"]!.ToString().ShouldContain("code");
    }

    [Fact]
    public async Task without_a_phone_the_code_is_the_emails_part_before_the_at()
    {
        var trackingNumber = Text((await _intake.Receive(new
        {
            channel = "Email",
            complainant = new { name = "Lin Yue", email = "Lin.Yue@example.cn" },
            description = "My parcel was left in the rain.",
        }))["trackingNumber"]);

        Json(await Track("10.20.0.3", trackingNumber, "lin.yue", HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
        await Track("10.20.0.3", trackingNumber, "Lin.Yue@example.cn", HttpStatusCode.NotFound);
        await Track("10.20.0.3", trackingNumber, "lin", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task an_address_that_looks_up_too_often_is_refused_with_429_while_others_go_on()
    {
        var trackingNumber = Text((await _intake.Receive(NewComplaint(phone: "021 5555 9876")))["trackingNumber"]);

        // Ten lookups a minute by default (Complaints:Tracking:PermitLimit): guessing codes gets nowhere fast. Fewer than
        // five wrong codes on the one number, so that the number itself does not back off.
        for (var i = 0; i < 4; i++) await Track("10.20.0.4", trackingNumber, i.ToString("D4"), HttpStatusCode.NotFound);
        for (var i = 0; i < 6; i++) await Track("10.20.0.4", $"C-1999-{i:D6}", "0000", HttpStatusCode.NotFound);
        var refused = await Track("10.20.0.4", trackingNumber, "9876", HttpStatusCode.TooManyRequests);
        Problem(refused)["status"]!.GetValue<int>().ShouldBe(429);
        refused.Context.Response.Headers.RetryAfter.ToString().ShouldNotBeNullOrEmpty();

        Json(await Track("10.20.0.5", trackingNumber, "9876", HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task wrong_codes_back_off_per_tracking_number_from_whatever_address_they_come()
    {
        var trackingNumber = Text((await _intake.Receive(NewComplaint(phone: "021 5555 4242")))["trackingNumber"]);

        for (var i = 0; i < 5; i++) await Track($"10.21.0.{i + 1}", trackingNumber, $"{i:D4}", HttpStatusCode.NotFound);

        // Even the right code waits now, from any address: about a minute after the fifth wrong one.
        var refused = await Track("10.21.0.9", trackingNumber, "4242", HttpStatusCode.TooManyRequests);
        int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(50, 60);
        Text(Problem(refused)["title"]).ShouldContain("wrong codes");
        // Another number is not held back.
        var other = Text((await _intake.Receive(NewComplaint(phone: "021 5555 4343")))["trackingNumber"]);
        Json(await Track("10.21.0.9", other, "4343", HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task behind_the_known_proxy_each_client_has_its_own_limit_and_a_stranger_cannot_name_another_address()
    {
        var trackingNumber = Text((await _intake.Receive(NewComplaint(phone: "021 5555 7777")))["trackingNumber"]);
        for (var i = 0; i < 10; i++) await Track(Proxy, $"C-1998-{i:D6}", "0000", HttpStatusCode.NotFound, forwardedFor: "10.22.0.1");
        await Track(Proxy, trackingNumber, "7777", HttpStatusCode.TooManyRequests, forwardedFor: "10.22.0.1");
        // Another client behind the same proxy has a bucket of its own.
        await Track(Proxy, trackingNumber, "7777", HttpStatusCode.OK, forwardedFor: "10.22.0.2");

        // A caller that is not the proxy is counted by its own address, whatever it says it forwards for.
        for (var i = 0; i < 10; i++) await Track("10.22.0.3", $"C-1997-{i:D6}", "0000", HttpStatusCode.NotFound, forwardedFor: $"10.22.1.{i}");
        await Track("10.22.0.3", trackingNumber, "7777", HttpStatusCode.TooManyRequests, forwardedFor: "10.22.1.99");
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void an_ipv6_client_is_counted_by_its_64_block_and_an_ipv4_one_by_its_address(string address, string bucket) =>
        Api.Tracking.TrackingClient.Bucket(IPAddress.Parse(address)).ShouldBe(bucket);
}

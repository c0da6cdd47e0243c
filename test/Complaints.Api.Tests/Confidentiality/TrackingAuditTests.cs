using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Confidentiality;

/// <summary>
/// The complainant's own lookup: no account, a tracking number and the access code given with it at receipt, the same
/// answer for an unknown number, a case without a code and a wrong code, and limits per client address and per number.
/// Each test looks up from an address of its own.
/// </summary>
public sealed partial class TrackingAuditTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");

    /// <summary>The reverse proxy the test host believes (Complaints:Http:KnownProxies).</summary>
    public const string Proxy = "10.99.0.1";

    /// <summary>A code as the complainant is given it: 16 Crockford base32 characters (80 bits) in groups of four.</summary>
    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")]
    private static partial Regex CodeAsGiven();

    private async Task<IScenarioResult> Track(string address, string trackingNumber, string? code, HttpStatusCode status, string? forwardedFor = null) =>
        await fixture.Host.Scenario(s =>
        {
            s.Post.Json<object>(code is null ? new { } : new { code }).ToUrl($"/api/track/{Uri.EscapeDataString(trackingNumber)}");
            s.WithRequestHeader("X-Anonymous", "true"); // no token: the complainant has no account
            if (forwardedFor is not null) s.WithRequestHeader("X-Forwarded-For", forwardedFor);
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address));
            s.StatusCodeShouldBe(status);
        });

    /// <summary>A new complaint: its id, tracking number and the access code the receipt showed.</summary>
    private async Task<(Guid Id, string TrackingNumber, string Code)> Received(string phone = "13800138000")
    {
        var acknowledgement = await _intake.Receive(NewComplaint(phone: phone));
        return (Guid.Parse(Text(acknowledgement["id"])), Text(acknowledgement["trackingNumber"]), Text(acknowledgement["accessCode"]));
    }

    /// <summary>Issues a new code as a user with the one role given; the answer as it came.</summary>
    private Task<IScenarioResult> IssueCode(Guid id, string role, HttpStatusCode status) => fixture.Host.Scenario(s =>
    {
        s.Post.Url($"/api/complaints/{id}/access-code");
        s.WithRequestHeader("Authorization", "Bearer " + fixture.Token($"{role}.desk", role));
        s.StatusCodeShouldBe(status);
    });

    /// <summary>A case recorded without a code, as imported history is.</summary>
    private async Task<(Guid Id, string TrackingNumber)> ReceivedWithoutCode()
    {
        var id = Guid.CreateVersion7();
        var number = $"C-1990-{Random.Shared.Next(1_000_000):D6}";
        var receive = new ReceiveComplaint(Channel.Letter, new Complainant("Qian Li", "13800138000", null, null), "The street lamp outside is broken.");
        await using var session = fixture.Store.LightweightSession();
        session.Events.StartStream<Complaint>(id, receive.Decide(id, number, new CommandContext("import:test", DateTimeOffset.UtcNow, ComplaintPolicies.Default)));
        await session.SaveChangesAsync();
        return (id, number);
    }

    private static JsonObject Refusal(IScenarioResult result)
    {
        var problem = Problem(result);
        problem.Remove("traceId");
        return problem;
    }

    [Fact]
    public async Task the_receipt_shows_an_access_code_with_which_the_complainant_sees_status_dates_and_the_public_reply_and_nothing_else()
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader("X-User", "intake.amy");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        // No cache or browser is to keep the one answer that shows the code.
        result.Context.Response.Headers.CacheControl.ToString().ShouldBe("no-store");
        var acknowledgement = Json(result);
        var id = Guid.Parse(Text(acknowledgement["id"]));
        var trackingNumber = Text(acknowledgement["trackingNumber"]);
        var code = Text(acknowledgement["accessCode"]);
        code.ShouldMatch(CodeAsGiven().ToString());
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        // Solved at first contact: the intake agent records the resolution.
        await _intake.Do(id, "resolve", new { remedy = "Repair", description = "internal: the plumber was late", reply = "We fixed the pipe.", at = At(2) });

        var tracked = Json(await Track("10.20.0.1", trackingNumber.ToLowerInvariant(), code, HttpStatusCode.OK));
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

        // Read back over the phone and typed as heard: case, spaces and hyphens do not matter, nor O for 0 or I and L for 1.
        var typed = " " + code.Replace("-", " ").ToLowerInvariant().Replace('0', 'o').Replace('1', 'l') + " ";
        Json(await Track("10.20.0.1", trackingNumber, typed, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Resolved");
    }

    [Fact]
    public async Task each_complaint_is_given_a_code_of_its_own()
    {
        var codes = new List<string>();
        for (var i = 0; i < 5; i++) codes.Add((await Received()).Code);
        codes.ShouldBeUnique();
        codes.ShouldAllBe(c => CodeAsGiven().IsMatch(c));
    }

    [Fact]
    public async Task an_unknown_number_a_case_without_a_code_and_a_wrong_code_get_the_same_answer()
    {
        var (_, trackingNumber, code) = await Received(phone: "021 5555 4321");
        var (_, otherNumber, otherCode) = await Received();
        var (_, withoutCode) = await ReceivedWithoutCode();
        Json(await Track("10.20.0.2", trackingNumber, code, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");

        var unknown = Refusal(await Track("10.20.0.2", "C-1999-999999", code, HttpStatusCode.NotFound));
        // The last four digits of the phone, which the lookup took once, open nothing now.
        Refusal(await Track("10.20.0.2", trackingNumber, "4321", HttpStatusCode.NotFound)).ToJsonString().ShouldBe(unknown.ToJsonString());
        // Another complaint's code, with this number.
        Refusal(await Track("10.20.0.2", trackingNumber, otherCode, HttpStatusCode.NotFound)).ToJsonString().ShouldBe(unknown.ToJsonString());
        Refusal(await Track("10.20.0.2", "no such thing", code, HttpStatusCode.NotFound)).ToJsonString().ShouldBe(unknown.ToJsonString());
        Refusal(await Track("10.20.0.2", withoutCode, code, HttpStatusCode.NotFound)).ToJsonString().ShouldBe(unknown.ToJsonString());
        Json(await Track("10.20.0.3", otherNumber, otherCode, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");

        Problem(await Track("10.20.0.3", trackingNumber, null, HttpStatusCode.BadRequest))["detail"]!.ToString().ShouldContain("code");
        Problem(await Track("10.20.0.3", trackingNumber, " ", HttpStatusCode.BadRequest))["detail"]!.ToString().ShouldContain("code");
    }

    [Fact]
    public async Task a_code_issued_again_works_and_the_one_before_stops_working()
    {
        var (id, trackingNumber, first) = await Received();

        var issued = await IssueCode(id, Roles.Intake, HttpStatusCode.OK);
        issued.Context.Response.Headers.CacheControl.ToString().ShouldBe("no-store");
        var answer = Json(issued);
        Text(answer["id"]).ShouldBe(id.ToString());
        Text(answer["trackingNumber"]).ShouldBe(trackingNumber);
        Int(answer["version"]).ShouldBe(2);
        var second = Text(answer["accessCode"]);
        second.ShouldMatch(CodeAsGiven().ToString());
        second.ShouldNotBe(first);

        await Track("10.20.1.1", trackingNumber, first, HttpStatusCode.NotFound);
        Json(await Track("10.20.1.1", trackingNumber, second, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");

        // The case's history records that a code was issued, and by whom; the case itself did not move.
        var history = await new ComplaintsApi(fixture.Host, "auditor.zhou").History(id);
        Types(history).ShouldBe(["complaint_received", "access_code_issued"]);
        Text(history[1]!["user"]).ShouldBe("intake.desk");
        var details = await _intake.Get(id);
        (Text(details["status"]), Time(details["lastStepAt"])).ShouldBe(("Received", Start));
    }

    [Fact]
    public async Task a_case_received_without_a_code_is_given_one_by_a_service_and_it_works()
    {
        var (id, trackingNumber) = await ReceivedWithoutCode();
        var code = Text(Json(await IssueCode(id, Roles.Service, HttpStatusCode.OK))["accessCode"]);

        Json(await Track("10.20.1.2", trackingNumber, code, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task intake_dispatchers_and_services_issue_codes_and_no_other_role_does()
    {
        var (id, trackingNumber, _) = await Received();
        string[] allowed = [Roles.Intake, Roles.Dispatcher, Roles.Service];
        var last = "";
        foreach (var role in Roles.All)
            if (allowed.Contains(role)) last = Text(Json(await IssueCode(id, role, HttpStatusCode.OK))["accessCode"]);
            else await IssueCode(id, role, HttpStatusCode.Forbidden);

        Json(await Track("10.20.1.3", trackingNumber, last, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
        Int((await _intake.Get(id))["version"]).ShouldBe(1 + allowed.Length);
    }

    [Fact]
    public async Task after_an_erasure_no_code_is_issued_and_the_one_given_goes_on_working()
    {
        var (id, trackingNumber, code) = await Received();
        await new ComplaintsApi(fixture.Host, "admin.sun").Do(id, "erase-personal-data", new { legalBasis = "PIPL art. 47, request E-18" });

        var refused = Problem(await IssueCode(id, Roles.Dispatcher, HttpStatusCode.Conflict));
        Text(refused["rule"]).ShouldBe("complainant-erased");
        Json(await Track("10.20.1.4", trackingNumber, code, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task a_retried_receipt_does_not_show_the_code_again_and_the_first_one_works()
    {
        var key = Guid.NewGuid().ToString();
        var first = await _intake.Receive(NewComplaint(), idempotencyKey: key);
        var retry = await _intake.Receive(NewComplaint(), idempotencyKey: key);

        Text(retry["id"]).ShouldBe(Text(first["id"]));
        retry["accessCode"].ShouldBeNull();
        await Track("10.20.1.5", Text(first["trackingNumber"]), Text(first["accessCode"]), HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_code_is_never_recorded_shown_again_or_logged_only_its_hash_is_recorded()
    {
        var logged = fixture.Log.Count;
        var (id, trackingNumber, first) = await Received();
        var second = Text(Json(await IssueCode(id, Roles.Dispatcher, HttpStatusCode.OK))["accessCode"]);
        await Track("10.20.1.6", trackingNumber, first, HttpStatusCode.NotFound);
        await Track("10.20.1.6", trackingNumber, second, HttpStatusCode.OK);

        // Every form of either code: as given, as typed without hyphens, and as compared (upper case, no hyphens).
        string[] codes = [first, second, first.Replace("-", ""), second.Replace("-", "")];
        var events = await Auditing.AuditSql.Lines(fixture, "select data::text from complaints.mt_events where stream_id = @id order by version", ("id", id));
        var documents = await Auditing.AuditSql.Lines(fixture,
            "select data::text from complaints.mt_doc_complaintdetails where id = @id union all select data::text from complaints.mt_doc_complaint where id = @id",
            ("id", id));
        var answers = new[]
        {
            (await _intake.Get(id)).ToJsonString(),
            (await new ComplaintsApi(fixture.Host, "auditor.zhou").History(id)).ToJsonString(),
        };
        var log = string.Join("\n", fixture.Log.Since(logged));
        foreach (var stored in events.Concat(documents).Concat(answers).Append(log))
        foreach (var code in codes)
            stored.ShouldNotContain(code, Case.Insensitive);

        // What is recorded is the hash of the code in force, and the log did see these requests.
        var hashes = events.Select(e => JsonNode.Parse(e)!["accessCodeHash"]?.GetValue<string>()).ToList();
        hashes.ShouldBe([Tracking.AccessCodes.HashOf(first), Tracking.AccessCodes.HashOf(second)]);
        (await fixture.Store.QuerySession().LoadAsync<ComplaintDetails>(id))!.Case.AccessCodeHash.ShouldBe(Tracking.AccessCodes.HashOf(second));
        log.ShouldContain($"/api/track/{trackingNumber}");
    }

    [Fact]
    public async Task an_address_that_looks_up_too_often_is_refused_with_429_while_others_go_on()
    {
        var (_, trackingNumber, code) = await Received();

        // Ten lookups a minute by default (Complaints:Tracking:PermitLimit): guessing codes gets nowhere fast. Fewer than
        // five wrong codes on the one number, so that the number itself does not back off.
        for (var i = 0; i < 4; i++) await Track("10.20.0.4", trackingNumber, $"WRONG-{i:D4}", HttpStatusCode.NotFound);
        for (var i = 0; i < 6; i++) await Track("10.20.0.4", $"C-1999-{i:D6}", code, HttpStatusCode.NotFound);
        var refused = await Track("10.20.0.4", trackingNumber, code, HttpStatusCode.TooManyRequests);
        Problem(refused)["status"]!.GetValue<int>().ShouldBe(429);
        refused.Context.Response.Headers.RetryAfter.ToString().ShouldNotBeNullOrEmpty();

        Json(await Track("10.20.0.5", trackingNumber, code, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task wrong_codes_back_off_per_tracking_number_from_whatever_address_they_come()
    {
        var (_, trackingNumber, code) = await Received();

        for (var i = 0; i < 5; i++) await Track($"10.21.0.{i + 1}", trackingNumber, $"WRONG-{i:D4}", HttpStatusCode.NotFound);

        // Even the right code waits now, from any address: about a minute after the fifth wrong one.
        var refused = await Track("10.21.0.9", trackingNumber, code, HttpStatusCode.TooManyRequests);
        int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(50, 60);
        Text(Problem(refused)["title"]).ShouldContain("wrong codes");
        // Another number is not held back.
        var (_, other, otherCode) = await Received();
        Json(await Track("10.21.0.9", other, otherCode, HttpStatusCode.OK))["status"]!.ToString().ShouldBe("Received");
    }

    [Fact]
    public async Task lookups_of_a_case_without_a_code_count_as_wrong_codes_and_back_off_too()
    {
        var (_, withoutCode) = await ReceivedWithoutCode();
        for (var i = 0; i < 5; i++) await Track($"10.23.0.{i + 1}", withoutCode, $"WRONG-{i:D4}", HttpStatusCode.NotFound);

        await Track("10.23.0.9", withoutCode, "WRONG-9999", HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task behind_the_known_proxy_each_client_has_its_own_limit_and_a_stranger_cannot_name_another_address()
    {
        var (_, trackingNumber, code) = await Received();
        for (var i = 0; i < 10; i++) await Track(Proxy, $"C-1998-{i:D6}", code, HttpStatusCode.NotFound, forwardedFor: "10.22.0.1");
        await Track(Proxy, trackingNumber, code, HttpStatusCode.TooManyRequests, forwardedFor: "10.22.0.1");
        // Another client behind the same proxy has a bucket of its own.
        await Track(Proxy, trackingNumber, code, HttpStatusCode.OK, forwardedFor: "10.22.0.2");

        // A caller that is not the proxy is counted by its own address, whatever it says it forwards for.
        for (var i = 0; i < 10; i++) await Track("10.22.0.3", $"C-1997-{i:D6}", code, HttpStatusCode.NotFound, forwardedFor: $"10.22.1.{i}");
        await Track("10.22.0.3", trackingNumber, code, HttpStatusCode.TooManyRequests, forwardedFor: "10.22.1.99");
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

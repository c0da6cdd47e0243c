using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Auditing;

/// <summary>GET /api/complaints/{id}?version=N and ?at=time: the case exactly as it was then.</summary>
public sealed class TimeTravelAuditTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    private async Task<(JsonObject Details, string ETag)> Then(Guid id, string query)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{id}?{query}");
            s.WithRequestHeader(ApiFixture.UserHeader, _auditor.User);
            s.StatusCodeShouldBeOk();
        });
        return (Json(result), result.Context.Response.Headers.ETag.ToString());
    }

    private async Task<JsonObject> Refused(Guid id, string query, HttpStatusCode status) => Problem(await fixture.Host.Scenario(s =>
    {
        s.Get.Url($"/api/complaints/{id}?{query}");
        s.WithRequestHeader(ApiFixture.UserHeader, _auditor.User);
        s.StatusCodeShouldBe(status);
    }));

    private async Task<Guid> AssignedComplaint()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal", at = At(2) });
        await _dispatcher.Do(id, "assign", new { handler = "handler.li", at = At(3) });
        return id;
    }

    [Fact]
    public async Task a_version_gives_the_case_as_it_was_after_that_event_with_that_version_as_its_etag()
    {
        var id = await AssignedComplaint();

        var (received, etag1) = await Then(id, "version=1");
        etag1.ShouldBe("\"1\"");
        Text(received["status"]).ShouldBe("Received");
        received["category"].ShouldBeNull();
        received["version"]!.GetValue<int>().ShouldBe(1);

        // Version 2 is the acceptance, 3 the promises it gave, 4 the triage.
        var (triaged, etag4) = await Then(id, "version=4");
        etag4.ShouldBe("\"4\"");
        Text(triaged["status"]).ShouldBe("Accepted");
        Text(triaged["category"]).ShouldBe("Noise");
        triaged["handler"].ShouldBeNull();

        // The last version is the case as it stands.
        var (latest, _) = await Then(id, "version=5");
        latest.ToJsonString().ShouldBe((await _dispatcher.Get(id)).ToJsonString());
    }

    [Fact]
    public async Task a_time_gives_the_case_as_the_system_showed_it_then_by_when_each_event_was_recorded()
    {
        var id = await AssignedComplaint();
        var recorded = (await _auditor.History(id)).Select(e => Time(e!["recordedAt"])).ToArray();

        // The acceptance and the promises it gave were recorded together.
        var (atAccept, etag) = await Then(id, "at=" + Uri.EscapeDataString(recorded[1].ToString("O")));
        etag.ShouldBe("\"3\"");
        Text(atAccept["status"]).ShouldBe("Accepted");

        var justBeforeAssign = recorded[4].AddTicks(-10); // a microsecond earlier
        var (beforeAssign, _) = await Then(id, "at=" + Uri.EscapeDataString(justBeforeAssign.ToString("O")));
        beforeAssign["version"]!.GetValue<int>().ShouldBe(4);
        Text(beforeAssign["status"]).ShouldBe("Accepted");

        // The steps are dated in 2026-03 (their own at), but were recorded now: at asks what the system showed then.
        Text((await Refused(id, "at=" + Uri.EscapeDataString(Start.AddHours(4).ToString("O")), HttpStatusCode.NotFound))["detail"])
            .ShouldContain("not been recorded yet");
    }

    [Fact]
    public async Task a_version_beyond_the_stream_is_404_and_a_version_below_one_or_a_bad_time_is_400()
    {
        var id = await AssignedComplaint();
        var missing = await Refused(id, "version=6", HttpStatusCode.NotFound);
        Text(missing["detail"]).ShouldContain("no version 6");

        foreach (var query in new[] { "version=0", "version=-1", "version=two", "version=", "at=yesterday", "at=2026-13-01", "version=1&at=2026-03-01" })
            (await Refused(id, query, HttpStatusCode.BadRequest))["status"]!.GetValue<int>().ShouldBe(400, query);

        Text((await Refused(Guid.NewGuid(), "version=1", HttpStatusCode.NotFound))["title"]).ShouldBe("No such complaint");
        Text((await Refused(Guid.NewGuid(), "at=2026-03-01", HttpStatusCode.NotFound))["title"]).ShouldBe("No such complaint");
    }
}

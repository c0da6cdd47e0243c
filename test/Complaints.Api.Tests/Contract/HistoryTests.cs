using System.Net;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

public sealed class HistoryTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task the_history_lists_every_step_in_order_with_who_did_it_when_it_happened_and_when_it_was_recorded()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { note = "in scope", at = At(1) });
        await _dispatcher.Do(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal", at = At(2) });
        await _dispatcher.As("dispatcher.wu").Do(id, "assign", new { handler = "handler.li", at = At(3) });

        var history = await _auditor.History(id);
        Types(history).ShouldBe(["complaint_received", "complaint_accepted", "service_promises_given", "complaint_triaged", "complaint_assigned"]);
        history.Select(e => Int(e!["version"])).ShouldBe([1, 2, 3, 4, 5]);
        history.Select(e => e!["sequence"]!.GetValue<long>()).ShouldBeInOrder(SortDirection.Ascending);
        history.Select(e => Text(e!["user"])).ShouldBe(["intake.amy", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen", "dispatcher.wu"]);
        history.Select(e => Time(e!["at"])).ShouldBe([Start, Start.AddHours(1), Start.AddHours(1), Start.AddHours(2), Start.AddHours(3)]);
        history.Select(e => Time(e!["recordedAt"])).ShouldAllBe(t => t > before && t < DateTimeOffset.UtcNow.AddSeconds(5));
        history.Select(e => Time(e!["recordedAt"])).ShouldBeInOrder(SortDirection.Ascending);
        Text(history[1]!["data"]!["note"]).ShouldBe("in scope");
        Text(history[4]!["data"]!["department"]).ShouldBe("Property Management Office"); // routed by the category
    }

    [Fact]
    public async Task the_history_of_an_unknown_complaint_is_404()
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{Guid.NewGuid()}/history");
            s.WithRequestHeader(ApiFixture.UserHeader, _auditor.User);
            s.StatusCodeShouldBe(HttpStatusCode.NotFound);
        });
        Text(Problem(result)["title"]).ShouldBe("No such complaint");
    }

    [Fact]
    public async Task details_carry_their_version_as_an_etag_and_an_unchanged_complaint_answers_304()
    {
        var id = await _intake.ReceiveId();
        var first = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{id}");
            s.WithRequestHeader(ApiFixture.UserHeader, _intake.User);
        });
        var etag = first.Context.Response.Headers.ETag.ToString();
        etag.ShouldBe("\"1\"");

        await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{id}");
            s.WithRequestHeader(ApiFixture.UserHeader, _intake.User);
            s.WithRequestHeader("If-None-Match", etag);
            s.StatusCodeShouldBe(HttpStatusCode.NotModified);
            s.Header("ETag").SingleValueShouldEqual(etag);
        });

        await _dispatcher.Do(id, "accept");
        var changed = await fixture.Host.Scenario(s =>
        {
            s.Get.Url($"/api/complaints/{id}");
            s.WithRequestHeader(ApiFixture.UserHeader, _intake.User);
            s.WithRequestHeader("If-None-Match", etag);
            s.StatusCodeShouldBeOk();
            s.Header("ETag").SingleValueShouldEqual("\"3\""); // the acceptance and the promises it gave
        });
        Text(Json(changed)["status"]).ShouldBe("Accepted");
    }
}

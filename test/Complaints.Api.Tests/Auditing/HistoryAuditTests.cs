using System.Net;
using Alba;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Auditing;

/// <summary>What an auditor replays: every event with its data, user, times, correlation, causation and seal.</summary>
public sealed class HistoryAuditTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    private async Task<Guid> ReceiveWith(string? correlation)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader("X-User", "intake.amy");
            if (correlation is not null) s.WithRequestHeader("X-Correlation-Id", correlation);
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        if (correlation is not null) result.Context.Response.Headers["X-Correlation-Id"].ToString().ShouldBe(correlation);
        return Guid.Parse(Text(Json(result)["id"]));
    }

    private async Task Do(Guid id, string action, object body, string? correlation)
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl($"/api/complaints/{id}/{action}");
            s.WithRequestHeader("X-User", "dispatcher.chen");
            if (correlation is not null) s.WithRequestHeader("X-Correlation-Id", correlation);
            s.StatusCodeShouldBeOk();
        });
        result.Context.Response.Headers["X-Correlation-Id"].ToString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task every_event_names_the_work_it_belongs_to_and_the_request_that_caused_it()
    {
        var id = await ReceiveWith("hotline-call-4711");
        await Do(id, "accept", new { at = At(1) }, "hotline-call-4711");
        await Do(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal", at = At(2) }, null);
        await Do(id, "assign", new { handler = "handler.li", at = At(3) }, null);

        var history = await _auditor.History(id);
        // The acceptance gave the promises in the same request: both carry its correlation.
        history.Select(e => Text(e!["correlationId"])).Take(3).ShouldBe(["hotline-call-4711", "hotline-call-4711", "hotline-call-4711"]);
        // Without a correlation id of its own a request is correlated by its trace; each request is its own cause.
        history.Select(e => Text(e!["correlationId"])).ShouldAllBe(c => c.Length > 0);
        history.Select(e => Text(e!["causationId"])).ShouldAllBe(c => c.Length > 0);
        history.Select(e => Text(e!["causationId"])).Distinct().Count().ShouldBe(4);
        Text(history[3]!["correlationId"]).ShouldNotBe("hotline-call-4711");

        // The rest of the auditor's view: data, user, times and each event's seal.
        history.Select(e => Text(e!["user"])).ShouldBe(["intake.amy", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen", "dispatcher.chen"]);
        Text(history[3]!["data"]!["category"]).ShouldBe("Noise");
        history.Select(e => Time(e!["at"])).ShouldBe([Start, Start.AddHours(1), Start.AddHours(1), Start.AddHours(2), Start.AddHours(3)]);
        history.Select(e => Text(e!["hash"])).ShouldAllBe(h => System.Text.RegularExpressions.Regex.IsMatch(h, "^[0-9a-f]{64}$"));
        history.Select(e => Text(e!["hash"])).Distinct().Count().ShouldBe(5);
    }

    [Fact]
    public async Task a_correlation_id_longer_than_200_characters_is_refused()
    {
        var result = await fixture.Host.Scenario(s =>
        {
            s.Post.Json(NewComplaint()).ToUrl("/api/complaints");
            s.WithRequestHeader("X-User", "intake.amy");
            s.WithRequestHeader("X-Correlation-Id", new string('c', 201));
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        Text(Problem(result)["detail"]).ShouldContain("X-Correlation-Id");
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Identity;

/// <summary>
/// A person dates a step when they enter it (up to 15 minutes back), so a step entered late cannot count as on time;
/// earlier history comes from a trusted service (the role service) or the importer.
/// </summary>
public sealed class BackdatingTests(ApiFixture fixture)
{
    private async Task<IScenarioResult> Post(string url, object body, string user, string role) => await fixture.Host.Scenario(s =>
    {
        s.Post.Json(body).ToUrl(url);
        s.WithRequestHeader("Authorization", "Bearer " + fixture.Token(user, role));
        s.IgnoreStatusCode();
    });

    [Fact]
    public async Task a_person_may_not_date_a_step_more_than_15_minutes_back_and_a_trusted_service_may()
    {
        var id = await new ComplaintsApi(fixture.Host, "intake.amy").ReceiveId();
        var dayAgo = DateTimeOffset.UtcNow.AddDays(-1);

        var refused = await Post($"/api/complaints/{id}/accept", new { at = dayAgo }, "dispatcher.late", Roles.Dispatcher);
        refused.Context.Response.StatusCode.ShouldBe(400, refused.ReadAsText());
        var problem = JsonNode.Parse(refused.ReadAsText())!;
        problem["errors"]!["at"]!.ToString().ShouldContain("more than 15 minutes ago");

        (await Post($"/api/complaints/{id}/accept", new { at = DateTimeOffset.UtcNow.AddMinutes(-10) }, "dispatcher.prompt", Roles.Dispatcher))
            .Context.Response.StatusCode.ShouldBe(200);
        (await Post($"/api/complaints/{id}/triage", new { category = "Noise", severity = "Low", priority = "Low", at = DateTimeOffset.UtcNow.AddMinutes(-5) },
            "crm", Roles.Service)).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task a_person_may_not_receive_a_complaint_dated_days_back_and_a_trusted_service_may()
    {
        var weekAgo = DateTimeOffset.UtcNow.AddDays(-7);
        var refused = await Post("/api/complaints", NewComplaint(receivedAt: weekAgo), "intake.late", Roles.Intake);
        refused.Context.Response.StatusCode.ShouldBe(400, refused.ReadAsText());
        JsonNode.Parse(refused.ReadAsText())!["errors"]!["receivedAt"]!.ToString().ShouldContain("more than 15 minutes ago");

        (await Post("/api/complaints", NewComplaint(receivedAt: weekAgo), "crm", Roles.Service)).Context.Response.StatusCode.ShouldBe(201);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Identity;

/// <summary>
/// The role table's conditions over HTTP: a handler acts on the cases assigned to them or to a department their token
/// names; intake resolves at first contact; a manager resolves an escalated case. A role that may do the work but not on
/// this case gets a 403 that says why, and nothing is recorded.
/// </summary>
public sealed class CaseConditionTests(ApiFixture fixture)
{
    private const string Department = "Property Maintenance";

    private async Task<IScenarioResult> Post(Guid id, string action, object body, string token) => await fixture.Host.Scenario(s =>
    {
        s.Post.Json(body).ToUrl($"/api/complaints/{id}/{action}");
        s.WithRequestHeader("Authorization", "Bearer " + token);
        s.IgnoreStatusCode();
    });

    private string HandlerToken(string user, params string[] departments) =>
        fixture.Tokens.Issue(user, [Roles.Handler], TimeSpan.FromHours(1), DateTimeOffset.UtcNow, departments);

    private async Task<Guid> AssignedTo(string handler)
    {
        var dispatcher = new ComplaintsApi(fixture.Host, "dispatcher.zhou");
        var id = await new ComplaintsApi(fixture.Host, "intake.sun").ReceiveId();
        await dispatcher.Do(id, "accept");
        await dispatcher.Do(id, "assign", new { department = Department, handler });
        return id;
    }

    private static void ShouldBeForbidden(IScenarioResult answer, string rule)
    {
        answer.Context.Response.StatusCode.ShouldBe((int)HttpStatusCode.Forbidden, answer.ReadAsText());
        var problem = JsonNode.Parse(answer.ReadAsText())!;
        Text(problem["rule"]).ShouldBe(rule);
        Text(problem["title"]).ShouldBe("Your role does not allow this command on this complaint");
    }

    [Fact]
    public async Task a_handler_works_their_own_case_and_their_departments_but_not_another_departments()
    {
        var id = await AssignedTo("handler.li");

        var elsewhere = await Post(id, "first-response", new { note = "on site" }, HandlerToken("handler.gao", "Sanitation"));
        ShouldBeForbidden(elsewhere, "first-response-not-for-handler");
        Types(await new ComplaintsApi(fixture.Host, "auditor.wang").History(id)).ShouldNotContain("first_response_made");

        (await Post(id, "first-response", new { note = "on site" }, HandlerToken("handler.li"))).Context.Response.StatusCode.ShouldBe(200);
        (await Post(id, "evidence", new { kind = "Photo", description = "the leak" }, HandlerToken("handler.gao", Department)))
            .Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task intake_resolves_at_first_contact_only_and_a_manager_only_once_escalated()
    {
        var resolve = new { remedy = "Explanation", description = "explained", reply = "We explained the bill." };
        var intake = fixture.Token("intake.sun", Roles.Intake);
        var manager = fixture.Token("manager.qian", Roles.Manager);

        var assigned = await AssignedTo("handler.li");
        ShouldBeForbidden(await Post(assigned, "resolve", resolve, intake), "resolve-not-for-intake");
        ShouldBeForbidden(await Post(assigned, "resolve", resolve, manager), "resolve-not-for-manager");

        await new ComplaintsApi(fixture.Host, "handler.li").Do(assigned, "escalate", new { reason = "the landlord refuses" });
        (await Post(assigned, "resolve", resolve, manager)).Context.Response.StatusCode.ShouldBe(200);

        var dispatcher = new ComplaintsApi(fixture.Host, "dispatcher.zhou");
        var fresh = await new ComplaintsApi(fixture.Host, "intake.sun").ReceiveId();
        await dispatcher.Do(fresh, "accept");
        var firstContact = await Post(fresh, "resolve", resolve, intake);
        firstContact.Context.Response.StatusCode.ShouldBe(200);
        JsonNode.Parse(firstContact.ReadAsText())!["resolution"]!["firstContact"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task no_token_may_name_the_systems_own_users()
    {
        var id = await new ComplaintsApi(fixture.Host, "intake.sun").ReceiveId();
        foreach (var user in new[] { "system", "import:cfpb" })
            (await Post(id, "accept", new { }, fixture.Token(user, Roles.Dispatcher))).Context.Response.StatusCode.ShouldBe(401);
    }
}

using System.Net;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Contract;

public sealed class ConcurrencyTests(ApiFixture fixture)
{
    private readonly Staff _staff = new(fixture.Host);

    [Fact]
    public async Task a_command_naming_a_stale_version_in_if_match_is_refused_with_412_and_records_nothing()
    {
        var id = await _staff.Received();
        await _staff.Dispatcher.Do(id, "accept", ifMatch: "\"1\"");

        var problem = await _staff.Dispatcher.Fails(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal" }, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");
        Text(problem["detail"]).ShouldContain("\"1\"");
        // Accepting records the acceptance and the promises it gives: version 3.
        (await _staff.Dispatcher.Get(id))["version"]!.GetValue<long>().ShouldBe(3);

        (await _staff.Dispatcher.Do(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal" }, ifMatch: "\"3\""))["version"]!
            .GetValue<long>().ShouldBe(4);
    }

    [Fact]
    public async Task thirty_two_concurrent_commands_on_one_complaint_lose_no_event()
    {
        var id = await _staff.Assigned();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async n =>
        {
            var result = await fixture.Host.Scenario(s =>
            {
                s.Post.Json(new { kind = "Statement", description = $"statement {n}", party = "neighbour" }).ToUrl($"/api/complaints/{id}/evidence");
                // Thirty-two systems at once, each a caller of its own (the rate limits count per caller).
                s.WithRequestHeader("X-User", $"service.statements-{n}");
                s.IgnoreStatusCode();
            });
            return result.Context.Response.StatusCode;
        }));

        // Without If-Match writers queue on the stream and apply in order: every command lands.
        statuses.ShouldAllBe(s => s == 200);
        var history = await _staff.Auditor.History(id);
        history.Count.ShouldBe(4 + 32);
        history.Select(e => e!["version"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, 36).Select(v => (long)v));
        history.Skip(4).Select(e => Text(e!["data"]!["description"])).Order()
            .ShouldBe(Enumerable.Range(0, 32).Select(n => $"statement {n}").Order());
        (await _staff.Auditor.Get(id))["evidenceCount"]!.GetValue<int>().ShouldBe(32);
    }

    [Fact]
    public async Task concurrent_commands_with_the_same_if_match_let_exactly_one_through()
    {
        var id = await _staff.Assigned();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async n =>
            (await fixture.Host.Scenario(s =>
            {
                s.Post.Json(new { kind = "Photo", description = $"photo {n}" }).ToUrl($"/api/complaints/{id}/evidence");
                s.WithRequestHeader("X-User", "handler.li");
                s.WithRequestHeader("If-Match", "\"4\"");
                s.IgnoreStatusCode();
            })).Context.Response.StatusCode));

        statuses.Count(s => s == 200).ShouldBe(1);
        statuses.Where(s => s != 200).ShouldAllBe(s => s == 412);
        (await _staff.Auditor.History(id)).Count.ShouldBe(5);
    }
}

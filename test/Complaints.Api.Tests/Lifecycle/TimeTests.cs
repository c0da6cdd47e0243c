using System.Net;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class TimeTests(ApiFixture fixture)
{
    // History entered later, and times checked, by a trusted service: the one that may date steps back.
    private readonly ComplaintsApi _api = new(fixture.Host, "service.archive");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task history_entered_later_keeps_the_times_the_steps_happened()
    {
        var enteredAt = DateTimeOffset.UtcNow;
        var id = await _api.ReceiveId();
        await _api.Do(id, "accept", new { at = At(1) });
        await _api.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", at = At(2) });
        await _api.Do(id, "first-response", new { at = At(2.5) });
        var resolved = await _api.Do(id, "resolve", new { remedy = "Repair", description = "fixed", reply = "Fixed.", at = At(30) });

        Time(resolved["receivedAt"]).ShouldBe(Start);
        Time(resolved["acceptedAt"]).ShouldBe(Start.AddHours(1));
        Time(resolved["assignedAt"]).ShouldBe(Start.AddHours(2));
        Time(resolved["firstResponseAt"]).ShouldBe(Start.AddHours(2.5));
        Time(resolved["resolvedAt"]).ShouldBe(Start.AddHours(30));
        Time(resolved["lastStepAt"]).ShouldBe(Start.AddHours(30));

        var history = await _auditor.History(id);
        history.Select(e => Time(e!["at"])).ShouldBe([Start, Start.AddHours(1), Start.AddHours(1), Start.AddHours(2), Start.AddHours(2.5), Start.AddHours(30)]);
        history.ShouldAllBe(e => Time(e!["recordedAt"]) > enteredAt.AddSeconds(-5) && Time(e!["recordedAt"]) < DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task a_step_dated_in_the_future_is_refused_naming_at()
    {
        var id = await _api.ReceiveId();

        var problem = await _api.Fails(id, "accept", new { at = DateTimeOffset.UtcNow.AddHours(2).ToString("O") }, HttpStatusCode.BadRequest);
        problem["errors"]!["at"]!.ToString().ShouldContain("in the future");
        Text((await _api.Get(id))["status"]).ShouldBe("Received");
    }

    [Fact]
    public async Task a_step_dated_before_the_previous_step_is_refused()
    {
        var id = await _api.ReceiveId();
        await _api.Do(id, "accept", new { at = At(5) });

        var problem = await _api.Fails(id, "triage", new { category = "Noise", severity = "Low", priority = "Normal", at = At(4) }, HttpStatusCode.Conflict);
        Text(problem["rule"]).ShouldBe("before-previous-step");
        Text(problem["detail"]).ShouldContain("before the complaint's previous step");
        Int((await _api.Get(id))["version"]).ShouldBe(3);
    }

    [Fact]
    public async Task a_complaint_received_in_the_future_is_refused_naming_received_at()
    {
        var problem = await _api.ReceiveFails(NewComplaint(receivedAt: DateTimeOffset.UtcNow.AddDays(1)));
        problem["errors"]!["receivedAt"]!.ToString().ShouldContain("in the future");
    }
}

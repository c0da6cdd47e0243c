using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class RectificationTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _auditor = new(fixture.Host, "auditor.zhou");

    [Fact]
    public async Task a_fix_found_not_carried_out_goes_back_to_the_handler_and_a_later_satisfied_follow_up_closes_the_case()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", at = At(2) });
        await _handler.Do(id, "first-response", new { at = At(3) });
        await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe to be replaced", reply = "We will replace the pipe.", at = At(24) });

        var notDone = await _dispatcher.Do(id, "follow-up", new { satisfied = false, score = 1, rectified = false, comment = "nobody came", at = At(96) });
        Text(notDone["status"]).ShouldBe("Assigned");
        notDone["rectificationPending"]!.GetValue<bool>().ShouldBeTrue();
        Text(notDone["handler"]).ShouldBe("handler.li");
        Int(notDone["reReviewRound"]).ShouldBe(0);

        Text((await _handler.Do(id, "first-response", new { note = "back on site", at = At(97) }))["status"]).ShouldBe("Investigating");
        var redone = await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "We replaced the pipe.", at = At(100) });
        Text(redone["status"]).ShouldBe("Resolved");
        redone["rectificationPending"]!.GetValue<bool>().ShouldBeFalse();
        Time(redone["firstResponseAt"]).ShouldBe(Start.AddHours(3));

        var closed = await _dispatcher.Do(id, "follow-up", new { satisfied = true, score = 4, rectified = true, at = At(172) });
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("Satisfied");
        Int(closed["followUpCount"]).ShouldBe(2);

        var history = await _auditor.History(id);
        Types(history).Skip(6).ShouldBe([
            "follow_up_recorded", "rectification_ordered", "first_response_made", "complaint_resolved", "follow_up_recorded", "complaint_closed",
        ]);
        Text(history[7]!["data"]!["handler"]).ShouldBe("handler.li");
    }
}

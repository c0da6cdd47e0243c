using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Support.ComplaintsApi;

namespace Complaints.Api.Tests.Lifecycle;

public sealed class ReReviewLoopTests(ApiFixture fixture)
{
    private readonly ComplaintsApi _dispatcher = new(fixture.Host, "dispatcher.chen");
    private readonly ComplaintsApi _handler = new(fixture.Host, "handler.li");
    private readonly ComplaintsApi _reviewer = new(fixture.Host, "reviewer.zhao");
    private readonly ComplaintsApi _manager = new(fixture.Host, "manager.wang");
    private readonly ComplaintsApi _intake = new(fixture.Host, "intake.amy");
    private readonly ComplaintsApi _reviewerSun = new(fixture.Host, "reviewer.sun");

    private async Task<Guid> Resolved()
    {
        var id = await _intake.ReceiveId();
        await _dispatcher.Do(id, "accept", new { at = At(1) });
        await _dispatcher.Do(id, "assign", new { department = "Property Maintenance", handler = "handler.li", at = At(2) });
        await _handler.Do(id, "first-response", new { at = At(3) });
        await _handler.Do(id, "resolve", new { remedy = "Repair", description = "joint resealed", reply = "We resealed the joint.", at = At(24) });
        return id;
    }

    [Fact]
    public async Task unsatisfied_after_both_re_review_rounds_the_case_goes_to_a_higher_level_which_resolves_it_to_satisfaction()
    {
        var id = await Resolved();

        var first = await _dispatcher.Do(id, "follow-up", new { satisfied = false, score = 2, comment = "still drips", at = At(96) });
        Text(first["status"]).ShouldBe("AwaitingReReview");
        Int(first["reReviewRound"]).ShouldBe(1);
        Int(first["lastSatisfactionScore"]).ShouldBe(2);
        first["lastSatisfied"]!.GetValue<bool>().ShouldBeFalse();

        var reviewed = await _reviewer.Do(id, "re-review", new { revisedPlan = "replace the pipe", reviewer = "reviewer.zhao", at = At(100) });
        Text(reviewed["status"]).ShouldBe("Investigating");
        Text(reviewed["revisedPlan"]).ShouldBe("replace the pipe");
        Text((await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "We replaced the pipe.", at = At(120) }))["status"])
            .ShouldBe("Resolved");

        var second = await _dispatcher.Do(id, "follow-up", new { satisfied = false, score = 3, comment = "ceiling still stained", at = At(192) });
        Text(second["status"]).ShouldBe("AwaitingReReview");
        Int(second["reReviewRound"]).ShouldBe(2);
        Int(second["lastSatisfactionScore"]).ShouldBe(3);

        // Another reviewer takes the second round.
        var revised = await _reviewerSun.Do(id, "re-review", new { revisedPlan = "repaint the ceiling as well", reviewer = "reviewer.sun", at = At(196) });
        Text(revised["revisedPlan"]).ShouldBe("repaint the ceiling as well");
        await _handler.Do(id, "resolve", new { remedy = "Repair", description = "ceiling repainted", reply = "We repainted the ceiling.", at = At(216) });

        // The rounds are used up: the third unsatisfied follow-up goes to a higher level instead of a third re-review.
        var exhausted = await _dispatcher.Do(id, "follow-up", new { satisfied = false, score = 1, comment = "paint peels", at = At(288) });
        Text(exhausted["status"]).ShouldBe("EscalatedToHigherLevel");
        Int(exhausted["reReviewRound"]).ShouldBe(2);
        Int(exhausted["lastSatisfactionScore"]).ShouldBe(1);

        var above = await _manager.Do(id, "resolve", new { remedy = "Compensation", amount = 800, description = "paid for a contractor", reply = "We will pay 800 yuan.", at = At(300) });
        Text(above["status"]).ShouldBe("Resolved");
        above["resolution"]!["amount"]!.GetValue<decimal>().ShouldBe(800m);
        Text(above["resolution"]!["by"]).ShouldBe("manager.wang");

        var closed = await _dispatcher.Do(id, "follow-up", new { satisfied = true, score = 4, at = At(372) });
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("Satisfied");
        Int(closed["lastSatisfactionScore"]).ShouldBe(4);
        Int(closed["followUpCount"]).ShouldBe(4);

        var history = await _manager.History(id);
        Types(history).Skip(6).ShouldBe([
            "follow_up_recorded", "re_review_requested", "complaint_re_reviewed", "complaint_resolved",
            "follow_up_recorded", "re_review_requested", "complaint_re_reviewed", "complaint_resolved",
            "follow_up_recorded", "complaint_escalated_to_higher_level", "complaint_resolved",
            "follow_up_recorded", "complaint_closed",
        ]);
        var reReviews = history.Where(e => Text(e!["type"]) == "complaint_re_reviewed").ToList();
        reReviews.Select(e => Text(e!["data"]!["reviewer"])).ShouldBe(["reviewer.zhao", "reviewer.sun"]);
        reReviews.Select(e => Text(e!["user"])).ShouldBe(["reviewer.zhao", "reviewer.sun"]);
        reReviews.Select(e => Int(e!["data"]!["round"])).ShouldBe([1, 2]);
        Int(history.Single(e => Text(e!["type"]) == "complaint_escalated_to_higher_level")!["data"]!["roundsUsed"]).ShouldBe(2);
    }

    [Fact]
    public async Task a_satisfied_follow_up_after_one_re_review_closes_the_case_as_satisfied()
    {
        var id = await Resolved();
        await _dispatcher.Do(id, "follow-up", new { satisfied = false, score = 2, at = At(96) });
        await _reviewer.Do(id, "re-review", new { revisedPlan = "replace the pipe", reviewer = "reviewer.zhao", at = At(100) });
        await _handler.Do(id, "resolve", new { remedy = "Repair", description = "pipe replaced", reply = "We replaced the pipe.", at = At(120) });

        var closed = await _dispatcher.Do(id, "follow-up", new { satisfied = true, score = 5, comment = "dry at last", at = At(192) });
        Text(closed["status"]).ShouldBe("Closed");
        Text(closed["closeReason"]).ShouldBe("Satisfied");
        Int(closed["reReviewRound"]).ShouldBe(1);
        Int(closed["lastSatisfactionScore"]).ShouldBe(5);
        Text(closed["revisedPlan"]).ShouldBe("replace the pipe");

        var lastFollowUp = (await _manager.History(id)).Last(e => Text(e!["type"]) == "follow_up_recorded")!;
        Int(lastFollowUp["data"]!["round"]).ShouldBe(1);
    }
}

using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Marten;
using Marten.Events;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>
/// The analytics projection applies a batch of events case by case in memory. Events that one command appends together
/// reach it in one batch, so each row it adds must carry the case as it stood at that event, not at the batch's end.
/// </summary>
public sealed class AnalyticsProjectionTests(ApiFixture fixture)
{
    private static readonly DateTimeOffset At = new(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task a_miss_recorded_with_the_step_that_returns_the_case_keeps_the_department_it_was_missed_in()
    {
        var id = Guid.NewGuid();
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Events.StartStream(id,
                new ComplaintReceived(id, $"C-P-{id:N}"[..20], Channel.Phone, new Complainant("Projection Case", "13900000001", null, null),
                    "water leak", "Block 7", "Leak", null, At, "projection.test"),
                new ComplaintAccepted(null, At.AddMinutes(5), "projection.test"),
                new ComplaintAssigned("Roads", "h.roads", null, At.AddMinutes(10), "projection.test"));
            await session.SaveChangesAsync();
        }
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        // As a late step does: the miss it reveals, then the step itself, in one append.
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Events.Append(id,
                new ServicePromiseMissed(ServicePromise.FirstResponse, At.AddHours(1), TimeSpan.FromHours(2), At.AddHours(3), "system"),
                new ComplaintReturned("Roads", "h.roads", "not ours", At.AddHours(3), "h.roads"));
            await session.SaveChangesAsync();
        }
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        (await TestSql.Lines(fixture.ConnectionString,
                "select coalesce(department, '(none)') || ' ' || promise from analytics.missed_promises where complaint_id = @id", ("id", id)))
            .ShouldBe(["Roads FirstResponse"]);
        (await TestSql.Lines(fixture.ConnectionString,
                "select coalesce(department, '(none)') || ' ' || status || ' ' || missed_promises || ' ' || returns from analytics.complaint_cases where complaint_id = @id", ("id", id)))
            .ShouldBe(["(none) Accepted 1 1"]);
    }

    [Fact]
    public async Task a_receipt_appended_again_to_a_case_already_projected_changes_nothing()
    {
        var id = Guid.NewGuid();
        var received = new ComplaintReceived(id, $"C-R-{id:N}"[..20], Channel.Phone, new Complainant("Projection Case", "13900000002", null, null),
            "noise", "Block 8", "Noise", null, At, "projection.test");
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Events.StartStream(id, received, new ComplaintAccepted(null, At.AddMinutes(5), "projection.test"));
            await session.SaveChangesAsync();
        }
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await using (var session = fixture.Store.LightweightSession())
        {
            session.Events.Append(id, received with { At = At.AddDays(1) }, new ComplaintUrged("hurry", At.AddDays(1), "m.zhou"));
            await session.SaveChangesAsync();
        }
        await fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        (await TestSql.Lines(fixture.ConnectionString,
                "select status || ' ' || (accepted_at is not null) || ' ' || urgings || ' ' || (received_at = @at) from analytics.complaint_cases where complaint_id = @id",
                ("id", id), ("at", At.UtcDateTime)))
            .ShouldBe(["Accepted true 1 true"]);
    }
}

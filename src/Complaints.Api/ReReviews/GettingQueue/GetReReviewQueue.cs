using Complaints.Api.ApiReference;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine.Http;

namespace Complaints.Api.ReReviews.GettingQueue;

/// <summary>A case waiting for a reviewer: what did not satisfy, and for how long it has waited.</summary>
public sealed record ReReviewQueueEntry(
    Guid Id, string TrackingNumber, int Round, int? LastScore, string? LastComment, Remedy? UnsatisfyingRemedy,
    string? UnsatisfyingResolution, DateTimeOffset RequestedAt, double WaitingHours, string? Category, string? Department,
    string? Handler, long Version);

public static class GetReReviewQueueEndpoint
{
    /// <summary>Get the re-review queue</summary>
    /// <remarks>
    /// The reviewers' queue, oldest first. A case joins it when an unsatisfied follow-up asks for a re-review and
    /// leaves it when re-reviewed, withdrawn or escalated.
    /// </remarks>
    [Authorize(Policy = Policies.ReadQueue)]
    [Tags(Capabilities.ReReviews)]
    [WolverineGet("/api/re-reviews", OperationId = "GetReReviewQueue")]
    public static async Task<IReadOnlyList<ReReviewQueueEntry>> Get(IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = await session.Query<ComplaintDetails>()
            .Where(c => c.Status == ComplaintStatus.AwaitingReReview)
            .OrderBy(c => c.ReReviewRequestedAt)
            .ToListAsync(ct);
        return waiting.Select(c => new ReReviewQueueEntry(c.Id, c.TrackingNumber, c.ReReviewRound, c.LastSatisfactionScore,
            c.LastFollowUpComment, c.Resolution?.Remedy, c.Resolution?.Description, c.ReReviewRequestedAt!.Value,
            Math.Round((now - c.ReReviewRequestedAt.Value).TotalHours, 2), c.Category, c.Department, c.Handler, c.Version)).ToList();
    }
}

using Complaints.Api.ApiReference;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Marten.Linq.MatchesSql;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Listing;

/// <summary>One line of the case list.</summary>
public sealed record ComplaintSummary(
    Guid Id, string TrackingNumber, ComplaintStatus Status, CloseReason? CloseReason, Channel Channel, string? Category,
    string? Department, string? Handler, DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, DateTimeOffset? PromisedResolutionBy,
    bool Overdue, int MissedPromises, int Urgings, DateTimeOffset? FollowUpDueFrom, bool FollowUpDue, int ReReviewRound, int? LastSatisfactionScore,
    long Version);

public sealed record ComplaintPage(IReadOnlyList<ComplaintSummary> Items, long Total, int Page, int PageSize);

public static class ListComplaintsEndpoint
{
    public const int MaxPageSize = 200;

    /// <summary>List complaints</summary>
    /// <remarks>
    /// The case list, filtered and paged. Overdue: a promise was recorded as missed and its step has still not happened,
    /// or a resolution was promised (due date or the date told to the complainant) and that time has passed while the
    /// case still waits for it. Due for follow-up: resolved, and the follow-up window has opened.
    /// </remarks>
    /// <param name="status">Only cases in this status (a ComplaintStatus name).</param>
    /// <param name="category">Only cases of this category.</param>
    /// <param name="department">Only cases assigned to this department.</param>
    /// <param name="handler">Only cases assigned to this handler.</param>
    /// <param name="channel">Only cases received through this channel (a Channel name).</param>
    /// <param name="overdue">true: only overdue cases; false: only cases that are not.</param>
    /// <param name="followUpDue">true: only resolved cases whose follow-up window has opened; false: only the others.</param>
    /// <param name="receivedFrom">Only cases received at or after this date or time (ISO 8601; UTC when no offset is given).</param>
    /// <param name="receivedTo">Only cases received before this date or time.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="pageSize">Cases per page, 1 to 200.</param>
    /// <param name="sort">receivedAt, dueAt or trackingNumber, with '-' before for descending order.</param>
    [Authorize(Policy = Policies.ReadCase)]
    [Tags(Capabilities.Complaints)]
    [WolverineGet("/api/complaints", OperationId = "ListComplaints")]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "A filter, the page or the sort cannot be read.")]
    public static async Task<ComplaintPage> Get(
        IQuerySession session, TimeProvider clock, CancellationToken ct,
        [ReadAs(typeof(ComplaintStatus))] string? status = null, string? category = null, string? department = null, string? handler = null,
        [ReadAs(typeof(Channel))] string? channel = null, [ReadAs(typeof(bool))] string? overdue = null,
        [ReadAs(typeof(bool))] string? followUpDue = null, string? receivedFrom = null, string? receivedTo = null,
        int page = 1, int pageSize = 50, string sort = "-receivedAt")
    {
        // Parsed here rather than bound, so that a value that does not parse is a 400 instead of being ignored.
        var statusFilter = Parse<ComplaintStatus>(nameof(status), status);
        var channelFilter = Parse<Channel>(nameof(channel), channel);
        var overdueFilter = Flag(nameof(overdue), overdue);
        var followUpDueFilter = Flag(nameof(followUpDue), followUpDue);
        var period = Analytics.Period.Parse(receivedFrom, receivedTo, nameof(receivedFrom), nameof(receivedTo));
        if (page < 1) throw new BadRequest("page starts at 1.");
        if (pageSize is < 1 or > MaxPageSize) throw new BadRequest($"pageSize runs from 1 to {MaxPageSize}.");
        var now = clock.GetUtcNow();

        var query = session.Query<ComplaintDetails>().AsQueryable();
        if (statusFilter is { } s) query = query.Where(c => c.Status == s);
        if (!string.IsNullOrWhiteSpace(category)) query = query.Where(c => c.Category == category);
        if (!string.IsNullOrWhiteSpace(department)) query = query.Where(c => c.Department == department);
        if (!string.IsNullOrWhiteSpace(handler)) query = query.Where(c => c.Handler == handler);
        if (channelFilter is { } ch) query = query.Where(c => c.Channel == ch);
        if (period.From is { } from) query = query.Where(c => c.ReceivedAt >= from);
        if (period.To is { } to) query = query.Where(c => c.ReceivedAt < to);
        if (overdueFilter == true)
        {
            // The same condition as below, spelled so that PostgreSQL finds the few overdue cases through the two partial
            // indexes first: written as one OR, the planner guesses thousands of matches and walks the whole list in
            // order looking for them.
            var table = session.DocumentStore.Options.Schema.For<ComplaintDetails>();
            var schema = session.DocumentStore.Options.DatabaseSchemaName;
            query = query.Where(c => c.MatchesSql(
                $"d.id in (select id from {table} where outstanding_missed_promises > 0 union all " +
                $"select id from {table} where awaiting_resolution and {schema}.mt_immutable_timestamptz(data ->> 'promisedResolutionBy') < ?)",
                now));
        }
        if (overdueFilter == false)
            query = query.Where(c => c.OutstandingMissedPromises == 0 && (!c.AwaitingResolution || c.PromisedResolutionBy == null || c.PromisedResolutionBy >= now));
        if (followUpDueFilter == true) query = query.Where(c => c.Status == ComplaintStatus.Resolved && c.FollowUpDueFrom != null && c.FollowUpDueFrom <= now);
        if (followUpDueFilter == false) query = query.Where(c => c.Status != ComplaintStatus.Resolved || c.FollowUpDueFrom == null || c.FollowUpDueFrom > now);

        var filtered = query;
        query = sort switch
        {
            "receivedAt" => query.OrderBy(c => c.ReceivedAt),
            "-receivedAt" => query.OrderByDescending(c => c.ReceivedAt),
            "dueAt" => query.OrderBy(c => c.PromisedResolutionBy),
            "-dueAt" => query.OrderByDescending(c => c.PromisedResolutionBy),
            "trackingNumber" => query.OrderBy(c => c.TrackingNumber),
            "-trackingNumber" => query.OrderByDescending(c => c.TrackingNumber),
            _ => throw new BadRequest($"sort is one of receivedAt, dueAt, trackingNumber, each optionally prefixed with '-'; not '{sort}'."),
        };

        // The page and the total as two plain queries rather than Marten's ToPagedListAsync, whose count(*) over ()
        // carries every matching document through the window before the page is cut. The total is counted only when
        // the page is full or empty past the first: a partial page already tells it.
        var results = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        long total = results.Count == pageSize || (results.Count == 0 && page > 1) ? await filtered.CountAsync(ct)
            : (long)(page - 1) * pageSize + results.Count;
        var items = results.Select(c => new ComplaintSummary(c.Id, c.TrackingNumber, c.Status, c.CloseReason, c.Channel, c.Category,
            c.Department, c.Handler, c.ReceivedAt, c.DueAt, c.PromisedResolutionBy,
            c.OutstandingMissedPromises > 0 || (c.AwaitingResolution && c.PromisedResolutionBy < now), c.MissedPromises.Count, c.Urgings.Count,
            c.FollowUpDueFrom, c.Status == ComplaintStatus.Resolved && c.FollowUpDueFrom <= now, c.ReReviewRound, c.LastSatisfactionScore, c.Version)).ToList();
        return new ComplaintPage(items, total, page, pageSize);
    }

    private static bool? Flag(string name, string? value) => value switch
    {
        null or "" => null,
        _ when bool.TryParse(value, out var parsed) => parsed,
        _ => throw new BadRequest($"{name} is true or false, not '{value}'."),
    };

    private static T? Parse<T>(string name, string? value) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(value) ? null
        : Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(value[0]) ? parsed
        : throw new BadRequest($"{name} is one of {string.Join(", ", Enum.GetNames<T>())}; not '{value}'.");
}

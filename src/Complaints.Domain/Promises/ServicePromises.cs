namespace Complaints.Domain;

/// <summary>What the office promises the complainant, each timed from the step that starts it.</summary>
public enum ServicePromise
{
    /// <summary>The handler reaches the complainant or the site after assignment (the property hotline: on site within 3 minutes).</summary>
    FirstResponse,

    /// <summary>A resolution after acceptance, by the case's due date.</summary>
    Resolution,

    /// <summary>The follow-up visit after a resolution, within the follow-up window.</summary>
    FollowUp,

    /// <summary>A reviewer takes up a re-review the complainant asked for.</summary>
    ReReview,

    /// <summary>
    /// The complainant's side: after a follow-up attempt that did not reach them, how long the office waits for a reply
    /// before the case closes as NoResponse. Its lapse closes the case; it is not a promise the office missed.
    /// </summary>
    ComplainantReply,
}

/// <summary>The promises given to one case, as durations from the step that starts each.</summary>
public sealed record ServicePromiseTerms(
    TimeSpan FirstResponseWithin,
    TimeSpan ResolutionWithin,
    TimeSpan FollowUpFrom,
    TimeSpan FollowUpWithin,
    TimeSpan ReReviewWithin,
    TimeSpan ComplainantReplyWithin)
{
    /// <summary>
    /// Defaults from the source: a first response within a day, a resolution within 15 days, the follow-up visit 3 to
    /// 5 days after the resolution, a re-review taken up within 5 days, and 3 days for an unreached complainant to reply.
    /// </summary>
    public static readonly ServicePromiseTerms Default = new(
        FirstResponseWithin: TimeSpan.FromDays(1),
        ResolutionWithin: TimeSpan.FromDays(15),
        FollowUpFrom: TimeSpan.FromDays(3),
        FollowUpWithin: TimeSpan.FromDays(5),
        ReReviewWithin: TimeSpan.FromDays(5),
        ComplainantReplyWithin: TimeSpan.FromDays(3));

    /// <summary>The names of what is wrong with these terms; empty when they can be promised.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(FirstResponseWithin), FirstResponseWithin), (nameof(ResolutionWithin), ResolutionWithin),
                     (nameof(FollowUpWithin), FollowUpWithin), (nameof(ReReviewWithin), ReReviewWithin),
                     (nameof(ComplainantReplyWithin), ComplainantReplyWithin),
                 })
            if (value <= TimeSpan.Zero) yield return $"{name} is {value}; a promise needs a time greater than zero";
        if (FollowUpFrom < TimeSpan.Zero) yield return $"{nameof(FollowUpFrom)} is {FollowUpFrom}; it cannot be negative";
        if (FollowUpFrom >= FollowUpWithin) yield return $"{nameof(FollowUpFrom)} ({FollowUpFrom}) must come before {nameof(FollowUpWithin)} ({FollowUpWithin})";
    }
}

/// <summary>
/// The promises in force: a default, and terms of their own for some categories. A case is given the terms of its
/// category when it is accepted, and again when triage moves it to a category with other terms; a change of this
/// policy reaches only cases given promises after it.
/// </summary>
public sealed record ServicePromisePolicy
{
    public ServicePromiseTerms Default { get; init; } = ServicePromiseTerms.Default;

    public IReadOnlyDictionary<string, ServicePromiseTerms> ByCategory { get; init; } = new Dictionary<string, ServicePromiseTerms>();

    /// <summary>
    /// History entered later may set a due that has already passed. Its check then waits this long, so that the steps
    /// being entered after it (a first response made on time but typed in afterwards) are in before the promise is judged.
    /// </summary>
    public TimeSpan LateEntryGrace { get; init; } = DefaultLateEntryGrace;

    public static readonly TimeSpan DefaultLateEntryGrace = TimeSpan.FromMinutes(15);

    /// <summary>When to check a promise due at <paramref name="due"/>, set at <paramref name="now"/>.</summary>
    public DateTimeOffset CheckAt(DateTimeOffset due, DateTimeOffset now) => due > now ? due : now + LateEntryGrace;

    public ServicePromiseTerms For(string? category) => category is not null
        && ByCategory.FirstOrDefault(c => string.Equals(c.Key, category, StringComparison.OrdinalIgnoreCase)).Value is { } terms
            ? terms
            : Default;
}

public static class ServicePromises
{
    private static readonly ServicePromise[] None = [];
    private static readonly ServicePromise[] FirstResponse = [ServicePromise.FirstResponse];
    private static readonly ServicePromise[] Resolution = [ServicePromise.FirstResponse, ServicePromise.Resolution];
    private static readonly ServicePromise[] FollowUp = [ServicePromise.FollowUp];
    private static readonly ServicePromise[] ReReview = [ServicePromise.ReReview];

    /// <summary>The promises whose step this event is: a miss recorded for one of them is kept, late, by it.</summary>
    public static IReadOnlyList<ServicePromise> KeptBy(object @event) => @event switch
    {
        FirstResponseMade => FirstResponse,
        _ when Complaint.ResolutionIn(@event) is not null => Resolution,
        FollowUpRecorded or ComplainantNotReached => FollowUp,
        ComplaintReReviewed => ReReview,
        _ => None,
    };
}

namespace Complaints.Api.ApiReference;

/// <summary>
/// What the API does, by capability: the groups of the API reference (its OpenAPI tags), in the order a reader meets
/// them. Each endpoint names its capability with [Tags(Capabilities.…)].
/// </summary>
public static class Capabilities
{
    public const string Complaints = "Complaints";
    public const string ReReviews = "Re-reviews";
    public const string Analytics = "Analytics";
    public const string Reports = "Reports";
    public const string Audit = "Audit";
    public const string Tracking = "Tracking";
    public const string Operations = "Operations";

    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Complaints, "A complaint's life, one step at a time: received, accepted or declined, triaged, assigned, investigated, " +
                     "escalated, resolved or mediated, followed up, closed and archived. Every step is recorded as an event with who " +
                     "did it and when, and answers with the case as it now stands and its version as the `ETag`. Also the case list " +
                     "and a case's details, now or as they were at an earlier version or moment."),
        (ReReviews, "The re-review loop: a complainant not satisfied at the follow-up asks for a re-review, the case waits in the " +
                    "reviewers' queue, and a reviewer revises the plan; the case is then resolved and followed up again."),
        (Analytics, "Figures computed by PostgreSQL over the analytics tables: cycle times by stage, service promises kept, " +
                    "satisfaction and re-review rates, by month, category, department or channel."),
        (Reports, "The monthly statistics and analysis report, each figure beside the month before: JSON, CSV or a printable page."),
        (Audit, "Who did what, when, and why: a case's whole recorded history, its tamper-evident hash chain verified, and the " +
                "lawful erasure of a complainant's identity."),
        (Tracking, "The complainant's own status lookup, without an account: the tracking number and the access code given with it " +
                  "at receipt; and issuing a new code when that one is lost."),
        (Operations, "For administrators: the projections and their lag, rebuilds, the message queues and the dead letters."),
    ];
}

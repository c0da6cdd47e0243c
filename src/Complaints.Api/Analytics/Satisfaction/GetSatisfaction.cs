using Complaints.Api.ApiReference;
using Complaints.Projections.Analytics;
using Wolverine.Http;

namespace Complaints.Api.Analytics.Satisfaction;

public sealed record SatisfactionFigures(
    IReadOnlyDictionary<string, string?> Group,
    long Rated, long Satisfied, double? SatisfactionRate, double? MeanScore,
    long FirstRoundRated, long FirstRoundSatisfied, double? FirstRoundRate,
    long AfterReReviewRated, long AfterReReviewSatisfied, double? ShareSatisfiedAfterReReview,
    long CasesFollowedUp, long CasesReReviewed, double? ReReviewRate,
    long Unsatisfied, double? UnsatisfiedRate);

public static class GetSatisfactionEndpoint
{
    /// <summary>The breakdowns: by the follow-up's month and its case as it then stood, or by the case's month received and as it stands.</summary>
    private static Dictionary<string, string> By(Basis basis) => new()
    {
        ["month"] = Dimensions.Month(basis.Column("f.followed_up_at")),
        ["category"] = basis.Column("f.category", "category"),
        ["department"] = basis.Column("f.department", "department"),
        ["channel"] = basis.Column("f.channel", "channel"),
        ["round"] = "f.round::text",
    };

    /// <summary>Get satisfaction and re-review rates</summary>
    /// <remarks>
    /// Follow-ups in the period (by when they happened), or with basis=received the follow-ups of the complaints
    /// received in the period, whenever they happened: rated, satisfied and unsatisfied, their rates and the mean
    /// score; first round versus after re-review; the re-review rate (cases whose follow-up opened a re-review / cases
    /// followed up).
    /// </remarks>
    /// <param name="from">The period's start, a date or time (ISO 8601; UTC when no offset is given); open when left out.</param>
    /// <param name="to">The period's end (not included); open when left out.</param>
    /// <param name="by">Break the figures down by any of month, category, department, channel, round (comma-separated).</param>
    /// <param name="basis">event (the default): follow-ups by when they happened; received: the follow-ups of the complaints received in the period.</param>
    /// <param name="quality">Which cases to count by their data-quality notes on imported history: all (the default), clean (none) or noted.</param>
    [Authorize(Policy = Policies.ReadAnalytics)]
    [Tags(Capabilities.Analytics)]
    [WolverineGet("/api/analytics/satisfaction", OperationId = "GetSatisfaction")]
    [SendsHeader(StatusCodes.Status200OK, ApiHeaders.Age)]
    [ProblemAnswer(StatusCodes.Status400BadRequest, "The period, the breakdown, the basis or the quality cannot be read.")]
    public static Task<IReadOnlyList<SatisfactionFigures>> Get(AnalyticsDatabase db, AnalyticsAnswers answers, HttpContext http, CancellationToken ct,
        string? from = null, string? to = null, string? by = null, string? basis = null, string? quality = null)
    {
        var period = Period.Parse(from, to);
        var periodBasis = Basis.Parse(basis);
        var dims = Dimensions.Parse(by, By(periodBasis));
        var cases = DataQualityFilter.Parse(quality);
        return answers.Get($"satisfaction {periodBasis} {period.Key} {string.Join(',', dims)} {cases}", http,
            token => Compute(db, period, periodBasis, dims, cases, token), ct);
    }

    private static async Task<IReadOnlyList<SatisfactionFigures>> Compute(AnalyticsDatabase db, Period period, Basis basis, IReadOnlyList<string> dims,
        DataQuality cases, CancellationToken ct)
    {
        var columns = By(basis);
        var select = string.Concat(dims.Select(d => $"{columns[d]} as \"{d}\", "));
        var group = dims.Count == 0 ? "" : "group by " + string.Join(", ", dims.Select(d => columns[d])) +
                                           " order by " + string.Join(", ", dims.Select(d => columns[d]));
        var rows = await db.Rows(
            $"""
            select {select}
                count(*) as rated,
                count(*) filter (where f.satisfied) as satisfied,
                avg(f.score)::float8 as mean_score,
                count(*) filter (where f.round = 0) as first_round_rated,
                count(*) filter (where f.round = 0 and f.satisfied) as first_round_satisfied,
                count(*) filter (where f.round > 0) as after_rated,
                count(*) filter (where f.round > 0 and f.satisfied) as after_satisfied,
                count(distinct f.complaint_id) as cases,
                count(distinct f.complaint_id) filter (where r.complaint_id is not null) as cases_re_reviewed
            from {AnalyticsTables.FollowUps} f
            {basis.JoinCase("f")}
            left join {AnalyticsTables.ReReviews} r on r.complaint_id = f.complaint_id and r.round = f.round + 1
            where {Period.Contains(basis.Column("f.followed_up_at"))} and {cases.OfComplaint("f.complaint_id")}
            {group}
            """, period.Parameters(), ct);

        return rows.Where(r => (long)r["rated"]! > 0).Select(r => new SatisfactionFigures(
            dims.ToDictionary(d => d, d => (string?)r[d]),
            (long)r["rated"]!, (long)r["satisfied"]!, Figures.Rate(r["satisfied"], r["rated"]), Figures.Round(r["mean_score"]),
            (long)r["first_round_rated"]!, (long)r["first_round_satisfied"]!, Figures.Rate(r["first_round_satisfied"], r["first_round_rated"]),
            (long)r["after_rated"]!, (long)r["after_satisfied"]!, Figures.Rate(r["after_satisfied"], r["after_rated"]),
            (long)r["cases"]!, (long)r["cases_re_reviewed"]!, Figures.Rate(r["cases_re_reviewed"], r["cases"]),
            (long)r["rated"]! - (long)r["satisfied"]!, Figures.Rate((long)r["rated"]! - (long)r["satisfied"]!, r["rated"]))).ToList();
    }

}

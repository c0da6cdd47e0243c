namespace Complaints.Domain.Tests;

/// <summary>
/// Fixed people, times and events. Histories are dated in hours after T0 and were recorded by a colleague;
/// the command under test is decided by li.wei at Now, a week later.
/// </summary>
public static class Facts
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset Now = T0.AddDays(7);
    public const string User = "li.wei";
    public const string Colleague = "wang.fang";
    public const string Handler = "chen.jie";
    public const string SeedStation = "Seed Management Station";
    public static readonly Guid Id = Guid.Parse("5394ca11-f76b-4edc-8000-000000000001");
    public const string TrackingNumber = "TS-20250303-0001";
    public static readonly Complainant Zhao = new("Zhao Lan", "+86 571 8888-1234", null, "12 Orchard Road, Xiaoshan");

    /// <summary>
    /// The terms the histories were given: long enough that no promise falls due before Now, so that the tests of other
    /// rules see no misses. The promise tests use the real terms.
    /// </summary>
    public static readonly ServicePromiseTerms HistoryTerms = new(
        FirstResponseWithin: TimeSpan.FromDays(30), ResolutionWithin: TimeSpan.FromDays(30), FollowUpFrom: TimeSpan.FromDays(29),
        FollowUpWithin: TimeSpan.FromDays(30), ReReviewWithin: TimeSpan.FromDays(30), ComplainantReplyWithin: TimeSpan.FromDays(30));

    /// <summary>The terms of the one category with promises of its own: the property hotline's on site within 3 minutes.</summary>
    public static readonly ServicePromiseTerms PlantProtectionTerms = HistoryTerms with
    {
        FirstResponseWithin = TimeSpan.FromMinutes(3),
        ResolutionWithin = TimeSpan.FromDays(5),
    };

    public static readonly ComplaintPolicies Policies = new()
    {
        Promises = new ServicePromisePolicy
        {
            Default = HistoryTerms,
            ByCategory = new Dictionary<string, ServicePromiseTerms> { ["plant protection"] = PlantProtectionTerms },
        },
        Routing = new RoutingTable
        {
            DepartmentByCategory = new Dictionary<string, string>
            {
                ["seeds"] = SeedStation,
                ["fertiliser"] = "Soil and Fertiliser Station",
                ["plant protection"] = "Plant Protection Station",
            },
        },
    };

    public static DateTimeOffset T(double hours) => T0.AddHours(hours);

    public static string Text(int length) => new('x', length);

    // The events of a history, one per step, dated T(h).
    public static ComplaintReceived Received(double h = 0, string? category = "seeds") => new(Id, TrackingNumber, Channel.Phone, Zhao,
        "The maize seed bought in March germinated below 50%", "Xiaoshan", category, "refund", T(h), Colleague);
    public static ComplaintAccepted Accepted(double h) => new(null, T(h), Colleague);
    public static ServicePromisesGiven PromisesGiven(double h, string? category = "seeds", ServicePromiseTerms? terms = null) =>
        new(category, terms ?? HistoryTerms, T(h) + (terms ?? HistoryTerms).ResolutionWithin, T(h), Colleague);
    public static ComplaintDeclined Declined(double h) => new("out of scope", "Contract disputes between private parties go to the court.", T(h), Colleague);
    public static ComplaintTriaged Triaged(double h, string category = "seeds") => new(category, Severity.Medium, Priority.Normal, T(h), Colleague);
    public static ComplaintAssigned Assigned(double h, string department = SeedStation, string handler = Handler, DateTimeOffset? due = null) =>
        new(department, handler, due, T(h), Colleague);
    public static ComplaintReturned Returned(double h) => new(SeedStation, Handler, "not ours", T(h), Colleague);
    public static FirstResponseMade FirstResponse(double h) => new("on site", T(h), Handler);
    public static EvidenceRecorded Evidence(double h) => new(EvidenceKind.Photo, "seedling trays", null, T(h), Handler);
    public static FindingsRecorded Findings(double h) => new(true, "seed lot below standard", T(h), Handler);
    public static ComplaintEscalated Escalated(double h) => new("dealer refuses", "bureau director", T(h), Handler);
    public static ExpectedResolutionDateGiven ExpectedDateGiven(double h) => new(T(h + 48), null, T(h), Handler);
    public static ResolutionDueExtended Extended(double h, DateTimeOffset previous, DateTimeOffset due) => new(previous, due, "lab test", T(h), Colleague);
    public static ComplaintResolved Resolved(double h, Remedy remedy = Remedy.Refund, bool firstContact = false) =>
        new(remedy, "dealer refunds the seed", remedy is Remedy.Refund or Remedy.Compensation ? 380m : null, "Your refund is on its way.", firstContact, T(h), Handler);
    public static MediationAssessed MediationAssessed(double h, bool eligible) => new(eligible, "civil dispute between two parties", T(h), Colleague);
    public static MediationAgreementSigned AgreementSigned(double h) => new("dealer pays 380", 3, T(h), Colleague);
    public static SettledByParties Settled(double h) => new("dealer pays 300", T(h), Colleague);
    public static MediationFailed MediationFailed(double h) => new(Referral.Arbitration, "no agreement on the amount", T(h), Colleague);
    public static FollowUpRecorded FollowUp(double h, bool satisfied, int round = 0, int score = 0, bool rectified = true) =>
        new(satisfied, score == 0 ? (satisfied ? 5 : 2) : score, rectified, null, round, T(h), Colleague);
    public static RectificationOrdered Rectification(double h) => new(Handler, null, T(h), Colleague);
    public static ReReviewRequested ReReviewRequested(double h, int round) => new(round, 2, null, Remedy.Refund, T(h), Colleague);
    public static ComplaintReReviewed ReReviewed(double h, int round) => new("sun.li", "refund plus compensation", round, T(h), "sun.li");
    public static ComplaintEscalatedToHigherLevel EscalatedToHigherLevel(double h, int rounds) => new(rounds, null, T(h), Colleague);
    public static ComplaintWithdrawn Withdrawn(double h) => new("settled privately", T(h), Colleague);
    public static ComplaintClosed Closed(double h, CloseReason reason, string? note = null) => new(reason, note, T(h), Colleague);
    public static ComplaintArchived Archived(double h) => new(T(h), Colleague);

    /// <summary>The due date of the assignment in every history: ten days after it, after Now, so that it is not missed.</summary>
    public static readonly DateTimeOffset DueAt = T(3 + 240);

    /// <summary>A consistent history that leaves the complaint in the named state, as Describe() reads it.</summary>
    public static object[] In(string state) => state switch
    {
        "Received" => [Received(0)],
        "Accepted" => [.. In("Received"), Accepted(1), PromisesGiven(1)],
        "Assigned" => [.. In("Accepted"), Triaged(2), Assigned(3, due: DueAt)],
        "Investigating" => [.. In("Assigned"), FirstResponse(4)],
        "Resolved" => [.. In("Investigating"), Findings(5), Resolved(6)],
        "InMediation" => [.. In("Investigating"), MediationAssessed(5, eligible: true)],
        "AwaitingReReview" => [.. In("Resolved"), FollowUp(7, satisfied: false), ReReviewRequested(7, 1)],
        "EscalatedToHigherLevel" =>
        [
            .. In("AwaitingReReview"), ReReviewed(8, 1), Resolved(9), FollowUp(10, satisfied: false, round: 1), ReReviewRequested(10, 2),
            ReReviewed(11, 2), Resolved(12), FollowUp(13, satisfied: false, round: 2), EscalatedToHigherLevel(13, 2),
        ],
        "Closed (Declined)" => [.. In("Received"), Declined(1), Closed(1, CloseReason.Declined, "out of scope")],
        "Closed (Withdrawn)" => [.. In("Assigned"), Withdrawn(4), Closed(4, CloseReason.Withdrawn, "settled privately")],
        "Closed (Satisfied)" => [.. In("Resolved"), FollowUp(7, satisfied: true), Closed(7, CloseReason.Satisfied)],
        "Closed (Referred)" => [.. In("InMediation"), MediationFailed(6), Closed(6, CloseReason.Referred, "referred to Arbitration")],
        "Archived (Satisfied)" => [.. In("Closed (Satisfied)"), Archived(8)],
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "no such history"),
    };

    public static readonly string[] OpenStates =
        ["Received", "Accepted", "Assigned", "Investigating", "Resolved", "InMediation", "AwaitingReReview", "EscalatedToHigherLevel"];

    public static readonly string[] FinishedStates =
        ["Closed (Declined)", "Closed (Withdrawn)", "Closed (Satisfied)", "Closed (Referred)", "Archived (Satisfied)"];

    public static readonly string[] AllStates = [.. OpenStates, .. FinishedStates];

    public static TheoryData<string> States(params string[] states) => new(states);

    public static TheoryData<string> StatesExcept(params string[] allowed) => new(AllStates.Except(allowed));
}

namespace Complaints.Api.Identity;

/// <summary>The people and systems around a complaint, as they appear in tokens' role claims.</summary>
public static class Roles
{
    public const string Intake = "intake";
    public const string Dispatcher = "dispatcher";
    public const string Handler = "handler";
    public const string Reviewer = "reviewer";
    public const string Manager = "manager";
    public const string Mediator = "mediator";
    public const string Analyst = "analyst";
    public const string Auditor = "auditor";
    public const string Service = "service";
    public const string Admin = "admin";

    public static readonly string[] All = [Intake, Dispatcher, Handler, Reviewer, Manager, Mediator, Analyst, Auditor, Service, Admin];

    /// <summary>Those who handle cases and so may see the complainant's identity.</summary>
    public static readonly string[] CaseHandling = [Intake, Dispatcher, Handler, Reviewer, Manager, Mediator];
}

/// <summary>
/// Who may do what, each policy named for the work it covers. Other services (role service) may post every
/// command, since they act for people who do that work elsewhere.
/// </summary>
public static class Policies
{
    public const string Receive = nameof(Receive);
    public const string Dispatch = nameof(Dispatch);
    public const string Investigate = nameof(Investigate);
    public const string Resolve = nameof(Resolve);
    public const string Escalate = nameof(Escalate);
    public const string Supervise = nameof(Supervise);
    public const string Mediate = nameof(Mediate);
    public const string FollowUp = nameof(FollowUp);
    public const string ReReview = nameof(ReReview);
    public const string Close = nameof(Close);
    public const string Withdraw = nameof(Withdraw);
    public const string Archive = nameof(Archive);
    public const string ReadCase = nameof(ReadCase);
    public const string ReadHistory = nameof(ReadHistory);
    public const string ReadAdminActions = nameof(ReadAdminActions);
    public const string ReadQueue = nameof(ReadQueue);
    public const string ReadAnalytics = nameof(ReadAnalytics);
    public const string Administer = nameof(Administer);
    public const string ErasePersonalData = nameof(ErasePersonalData);
    public const string IssueAccessCode = nameof(IssueAccessCode);

    public static readonly IReadOnlyDictionary<string, string[]> RolesFor = new Dictionary<string, string[]>
    {
        [Receive] = [Roles.Intake, Roles.Service],
        [Dispatch] = [Roles.Dispatcher, Roles.Service],
        [Investigate] = [Roles.Handler, Roles.Service],
        [Resolve] = [Roles.Handler, Roles.Intake, Roles.Manager, Roles.Service],
        [Escalate] = [Roles.Handler, Roles.Dispatcher, Roles.Service],
        [Supervise] = [Roles.Manager, Roles.Service],
        [Mediate] = [Roles.Mediator, Roles.Service],
        [FollowUp] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
        [ReReview] = [Roles.Reviewer, Roles.Service],
        [Close] = [Roles.Dispatcher, Roles.Manager, Roles.Service],
        [Withdraw] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
        [Archive] = [Roles.Dispatcher, Roles.Admin, Roles.Service],
        [ReadCase] = [.. Roles.CaseHandling, Roles.Auditor, Roles.Service],
        // A case's history holds the complainant's identity: not for the admin, whose work is the system, not the cases.
        [ReadHistory] = [Roles.Auditor, Roles.Manager],
        [ReadAdminActions] = [Roles.Auditor, Roles.Admin],
        [ReadQueue] = [Roles.Reviewer, Roles.Dispatcher, Roles.Manager],
        [ReadAnalytics] = [Roles.Analyst, Roles.Dispatcher, Roles.Manager, Roles.Auditor],
        [Administer] = [Roles.Admin],
        [ErasePersonalData] = [Roles.Admin],
        // Those who speak with the complainant, and the services that received a case for them.
        [IssueAccessCode] = [Roles.Intake, Roles.Dispatcher, Roles.Service],
    };
}

using System.Security.Claims;
using Complaints.Domain;

namespace Complaints.Api.Identity;

/// <summary>The people and systems around a complaint, as they appear in tokens' role claims (named by the domain).</summary>
public static class Roles
{
    public const string Intake = Role.Intake;
    public const string Dispatcher = Role.Dispatcher;
    public const string Handler = Role.Handler;
    public const string Reviewer = Role.Reviewer;
    public const string Manager = Role.Manager;
    public const string Mediator = Role.Mediator;
    public const string Analyst = Role.Analyst;
    public const string Auditor = Role.Auditor;
    public const string Service = Role.Service;
    public const string Admin = Role.Admin;

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

/// <summary>In which roles, and for which departments, a token's holder gives a command.</summary>
public static class ActingRoles
{
    /// <summary>The claim naming a department its holder works in; a token may carry several.</summary>
    public const string DepartmentClaim = "department";

    /// <summary>The holder's roles that the policy grants, with their departments: what the decision's role conditions see.</summary>
    public static Acting Of(ClaimsPrincipal user, string policy)
    {
        var granted = Policies.RolesFor[policy];
        return new Acting(
            user.FindAll(TokenSettings.RoleClaim).Select(c => c.Value).Where(granted.Contains).ToHashSet(StringComparer.Ordinal),
            user.FindAll(DepartmentClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}

/// <summary>Users the system records its own steps as: promise timers and the importer. No token may name them.</summary>
public static class ReservedUsers
{
    /// <summary>The importer records a source's rows as import:{source}.</summary>
    public const string ImporterPrefix = "import:";

    public static bool Is(string user) =>
        user == ServicePromiseCheck.RecordedBy || user.StartsWith(ImporterPrefix, StringComparison.Ordinal);
}

namespace Complaints.Domain;

/// <summary>The roles of the people and systems around a complaint, as tokens name them.</summary>
public static class Role
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
}

/// <summary>
/// In which roles a person gives a command (those of theirs that the role table grants it) and the departments they work
/// in. The role table says who may give a command at all; some roles may give it only on some cases, and that depends on
/// the case, so the decision checks it: a handler acts on the cases assigned to them or to their department, an intake
/// agent resolves at first contact, a manager resolves what was escalated.
/// </summary>
public sealed record Acting(IReadOnlySet<string> Roles, IReadOnlySet<string> Departments)
{
    public static Acting As(params string[] roles) => new(roles.ToHashSet(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    public Acting In(params string[] departments) => this with { Departments = departments.ToHashSet(StringComparer.Ordinal) };

    /// <summary>The case is this handler's: assigned to them, or to a department they work in.</summary>
    public bool Holds(Complaint complaint, string user) =>
        complaint.Handler == user || complaint.Department is { } department && Departments.Contains(department);
}

using System.Collections.Concurrent;
using System.Reflection;

namespace Complaints.Domain;

/// <summary>
/// The name a command goes by everywhere: its HTTP route's last part (POST /api/complaints/{id}/follow-up), its action on
/// the command queue, and the first part of the rules that refuse it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CommandNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Who is acting, the present moment and the rules in force: everything a decision needs besides state. MayBackdate:
/// the caller may date a step further back than a person entering it now would (the importer, a trusted service).
/// As: the roles and departments a person acts in; none for the system's own steps (the importer, a promise's timer),
/// which no role condition binds. FromSource: history brought from another system, kept whole: a step that breaks a rule
/// of time (dated before the previous step, in the future, due before it was assigned) is recorded as the source dated it,
/// with a <see cref="SourceAnomalyNoted"/>, where a live command is refused.
/// </summary>
public sealed record CommandContext(string User, DateTimeOffset Now, ComplaintPolicies Policies, bool MayBackdate = true, Acting? As = null,
    bool FromSource = false);

/// <summary>
/// A command on an existing complaint. Deciding is pure: (complaint, command, context) → events, or a
/// refusal that names the state and the rule. Nothing here reads a clock or a database.
/// </summary>
public abstract record ComplaintCommand
{
    /// <summary>How far ahead of our clock a caller's clock may run before its time counts as the future.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far back a person may date a step: what happened a few minutes before it was entered. Dating it further back
    /// would let a step entered late count as on time (a promise kept); older history comes through the importer or a
    /// trusted service.
    /// </summary>
    public static readonly TimeSpan PersonBackdating = TimeSpan.FromMinutes(15);

    /// <summary>When the step happened; now when omitted. History entered later keeps its real time.</summary>
    public DateTimeOffset? At { get; init; }

    private static readonly ConcurrentDictionary<Type, string> Names = new();

    /// <summary>The command's name (its [CommandName]), as in routes, queue actions and refusals, e.g. "resolve".</summary>
    public string Action() => NameOf(GetType());

    public static string NameOf(Type command) => Names.GetOrAdd(command, type =>
        type.GetCustomAttribute<CommandNameAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name} has no [CommandName]"));

    public IReadOnlyList<object> Decide(Complaint complaint, CommandContext context)
    {
        var errors = new ValidationErrors();
        Validate(errors);
        if (!context.FromSource) CheckNotInFuture(errors, nameof(At), At, context.Now);
        CheckBackdating(errors, nameof(At), At, context);
        errors.ThrowIfAny();

        // A time within the clock tolerance ahead of ours is recorded as now, so that the next step is not refused; so is
        // a source's step dated further ahead, noted.
        var at = At is { } given && given < context.Now ? given : context.Now;
        List<object> noted = [];
        if (context.FromSource && At is { } future && future > context.Now + ClockTolerance)
            noted.Add(Noted(SourceAnomaly.DatedInTheFuture, $"{Action()} dated {future:O}, after it was recorded at {context.Now:O}", context));
        if (at < complaint.LastStepAt)
        {
            var reason = $"at {at:O} is before the complaint's previous step at {complaint.LastStepAt:O}";
            if (!context.FromSource) throw new ComplaintCommandRefused(Action(), "before-previous-step", $"cannot {Action()}: {reason}");
            noted.Add(Noted(SourceAnomaly.StepsOutOfOrder, $"{Action()} {reason}", context));
        }
        // The state's refusal first: on a case nobody may take the step on, it is the answer that says why.
        var events = Decide(complaint, at, context);
        if (context.As is { } acting && !acting.Roles.Any(role => Permits(role, complaint, context.User, acting)))
            throw new ComplaintCommandForbidden(Action(), $"{Action()}-not-for-{string.Join("-or-", acting.Roles.Order())}",
                $"cannot {Action()}: {Conditions(acting)}");
        return [.. MissedBy(complaint, events, at), .. events, .. noted];
    }

    /// <summary>
    /// A rule of time the source's history breaks, noted rather than refused (only with <see cref="CommandContext.FromSource"/>).
    /// The source's own values are the importer's to add: the domain knows the instants, not the columns they came from.
    /// </summary>
    protected static SourceAnomalyNoted Noted(SourceAnomaly anomaly, string detail, CommandContext context) =>
        new(anomaly, detail, SourceAnomalyNoted.NoValues, context.Now, context.User);

    /// <summary>
    /// A step that ends an owed promise after its due (kept late, moved by an extension, or made moot) records the miss
    /// itself, unless a timer already did: so a late step typed in before the timer goes off still counts as missed,
    /// and one dated on time never does. The complainant's reply window is theirs, not a promise the office missed.
    /// </summary>
    private static IEnumerable<object> MissedBy(Complaint before, IReadOnlyList<object> events, DateTimeOffset at)
    {
        var after = events.Aggregate(before, (state, e) => state.After(e));
        foreach (var promise in Enum.GetValues<ServicePromise>())
            if (promise != ServicePromise.ComplainantReply && before.DueOf(promise) is { } due && due < at
                && after.DueOf(promise) != due && !before.MissRecorded(promise, due))
                yield return new ServicePromiseMissed(promise, due, at - due, at, ServicePromiseCheck.RecordedBy);
    }

    protected virtual void Validate(ValidationErrors errors) { }

    /// <summary>
    /// Whether acting in this role, the user may give the command on this case. A handler acts on the cases they hold;
    /// every other role the role table grants a command may give it on any case, unless the command says otherwise.
    /// </summary>
    protected virtual bool Permits(string role, Complaint complaint, string user, Acting acting) =>
        role != Role.Handler || acting.Holds(complaint, user);

    /// <summary>What the roles acted in would need of the case, said in a refusal.</summary>
    protected virtual string Condition(string role) => role == Role.Handler
        ? "a handler acts only on a case assigned to them or to their department"
        : $"the role {role} may not {Action()} this case";

    private string Conditions(Acting acting) => string.Join("; ", acting.Roles.Order().Select(Condition));

    protected abstract IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context);

    internal static void CheckNotInFuture(ValidationErrors errors, string field, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is { } value && value > now + ClockTolerance)
            errors.Add(field, $"{value:O} is in the future; a step is recorded when it has happened");
    }

    internal static void CheckBackdating(ValidationErrors errors, string field, DateTimeOffset? at, CommandContext context)
    {
        if (!context.MayBackdate && at is { } value && value < context.Now - PersonBackdating)
            errors.Add(field, $"{value:O} is more than {PersonBackdating.TotalMinutes:0} minutes ago; a step is dated when it is entered " +
                              "(earlier history comes through the importer or a trusted service)");
    }

    /// <summary>Refuses unless the complaint is in one of the allowed states.</summary>
    protected void RequireStatus(Complaint complaint, params IReadOnlyList<ComplaintStatus> allowed)
    {
        if (allowed.Contains(complaint.Status)) return;
        throw new ComplaintCommandRefused(Action(), $"{Action().Replace('/', '-')}-not-allowed-when-{complaint.Status}".ToLowerInvariant(),
            $"cannot {Action()}: complaint is {complaint.Describe()}; only a complaint that is {Join(allowed)} can be {PastParticiple()}");
    }

    protected ComplaintCommandRefused Refuse(string rule, string reason) =>
        new(Action(), rule, $"cannot {Action()}: {reason}");

    /// <summary>Used in refusals: "… can be resolved".</summary>
    protected virtual string PastParticiple() => Action() switch
    {
        var a when a.EndsWith('e') => a + "d",
        var a => a + "ed",
    };

    private static string Join(IReadOnlyList<ComplaintStatus> states) => states.Count switch
    {
        1 => states[0].ToString(),
        _ => string.Join(", ", states.Take(states.Count - 1)) + " or " + states[^1],
    };
}

/// <summary>The complaint's state or a rule does not allow the command (409 at the edge).</summary>
public sealed class ComplaintCommandRefused(string action, string rule, string message) : Exception(message)
{
    public string Action { get; } = action;
    public string Rule { get; } = rule;
}

/// <summary>
/// The user's roles allow the command, but not on this case (a handler on a case that is not theirs, say): 403 at the edge.
/// </summary>
public sealed class ComplaintCommandForbidden(string action, string rule, string message) : Exception(message)
{
    public string Action { get; } = action;
    public string Rule { get; } = rule;
}

/// <summary>The command itself is malformed, whatever the state (400 at the edge).</summary>
public sealed class ComplaintCommandInvalid(IReadOnlyDictionary<string, string[]> errors)
    : Exception("invalid command: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Field errors gathered while validating a command, keyed by the field's JSON name.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        var key = char.ToLowerInvariant(field[0]) + field[1..];
        if (!_errors.TryGetValue(key, out var list)) _errors[key] = list = [];
        list.Add(message);
    }

    public void Required(string field, string? value, int maxLength = 4000)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
        else if (value.Length > maxLength) Add(field, $"is longer than {maxLength} characters");
    }

    public void Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required");
    }

    /// <summary>Required, and one of the enum's named values (a number cast to it is not).</summary>
    public void RequiredChoice<T>(string field, T? value) where T : struct, Enum
    {
        Required(field, value);
        if (value is { } v && !Enum.IsDefined(v)) Add(field, $"{Convert.ToInt64(v)} is not a {typeof(T).Name}; use one of {string.Join(", ", Enum.GetNames<T>())}");
    }

    public void MaxLength(string field, string? value, int maxLength = 4000)
    {
        if (value is { Length: var n } && n > maxLength) Add(field, $"is longer than {maxLength} characters");
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny()
    {
        if (Any) throw new ComplaintCommandInvalid(ToDictionary());
    }
}

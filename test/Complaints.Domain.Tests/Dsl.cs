namespace Complaints.Domain.Tests;

/// <summary>
/// Given(history).When(command).Then(events) on the pure decider. Events compare by value; a decided scenario
/// may go on with another When, so that a whole loop reads as one story.
/// </summary>
public static class Dsl
{
    public static Scenario Given(params object[] history) => new(history, Facts.Policies);

    public static Scenario Given(IEnumerable<object> history, params object[] more) => new([.. history, .. more], Facts.Policies);
}

public sealed class Scenario(IReadOnlyList<object> history, ComplaintPolicies policies)
{
    public IReadOnlyList<object> History { get; } = history;

    public Scenario With(ComplaintPolicies other) => new(History, other);

    public Complaint State => Complaint.Fold(History) ?? throw new InvalidOperationException("no ComplaintReceived in the history");

    public Outcome When(ComplaintCommand command) =>
        new(History, policies, () => command.Decide(State, new CommandContext(Facts.User, Facts.Now, policies)));

    /// <summary>The command as history brought from another system: rules of time are noted, not refused.</summary>
    public Outcome WhenFromSource(ComplaintCommand command) =>
        new(History, policies, () => command.Decide(State, new CommandContext(Facts.User, Facts.Now, policies, FromSource: true)));

    /// <summary>The command given by a person acting in these roles (and departments), as the role table's conditions see them.</summary>
    public Outcome When(ComplaintCommand command, string user, Acting acting) =>
        new(History, policies, () => command.Decide(State, new CommandContext(user, Facts.Now, policies, As: acting)));

    public Outcome When(ReceiveComplaint command) =>
        new(History, policies, () => [command.Decide(Facts.Id, Facts.TrackingNumber, new CommandContext(Facts.User, Facts.Now, policies))]);
}

public sealed class Outcome(IReadOnlyList<object> history, ComplaintPolicies policies, Func<IReadOnlyList<object>> decide)
{
    /// <summary>The command was decided and recorded exactly these events, in this order.</summary>
    public Scenario Then(params object[] expected)
    {
        var actual = decide();
        actual.ShouldBe(expected);
        return new Scenario([.. history, .. actual], policies);
    }

    /// <summary>The command was decided; the caller inspects what it recorded.</summary>
    public Scenario Then(Action<IReadOnlyList<object>> inspect)
    {
        var actual = decide();
        inspect(actual);
        return new Scenario([.. history, .. actual], policies);
    }

    /// <summary>The user's roles allow the command, but not on this case.</summary>
    public ComplaintCommandForbidden ThenForbidden(string rule, string? messageContains = null)
    {
        var forbidden = Should.Throw<ComplaintCommandForbidden>(() => decide());
        forbidden.Rule.ShouldBe(rule);
        if (messageContains is not null) forbidden.Message.ShouldContain(messageContains);
        return forbidden;
    }

    /// <summary>The complaint's state or a rule refused the command.</summary>
    public ComplaintCommandRefused ThenFails(string rule, string? messageContains = null)
    {
        var refused = Should.Throw<ComplaintCommandRefused>(() => decide());
        refused.Rule.ShouldBe(rule);
        if (messageContains is not null) refused.Message.ShouldContain(messageContains);
        return refused;
    }

    /// <summary>Refused because of the state: the rule names the status, the message the state as a person reads it.</summary>
    public ComplaintCommandRefused ThenRefusedIn(string action, string state)
    {
        var status = state.Split(' ')[0].ToLowerInvariant();
        return ThenFails($"{action}-not-allowed-when-{status}", $"complaint is {state};");
    }

    /// <summary>The command itself is malformed: exactly these fields have errors.</summary>
    public ComplaintCommandInvalid ThenInvalid(params string[] fields)
    {
        var invalid = Should.Throw<ComplaintCommandInvalid>(() => decide());
        invalid.Errors.Keys.ShouldBe(fields, ignoreOrder: true);
        return invalid;
    }
}

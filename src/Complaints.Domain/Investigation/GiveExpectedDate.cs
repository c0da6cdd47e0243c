namespace Complaints.Domain;

/// <summary>For a hard case: the complainant is told when to expect a resolution.</summary>
[CommandName("expected-date")]
public sealed record GiveExpectedDate(DateTimeOffset? ExpectedBy, string? Reason = null) : ComplaintCommand
{
    protected override string PastParticiple() => "given an expected date";

    protected override void Validate(ValidationErrors errors)
    {
        errors.Required(nameof(ExpectedBy), ExpectedBy);
        errors.MaxLength(nameof(Reason), Reason);
    }

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, Statuses.AwaitingResolution);
        if (ExpectedBy!.Value <= at)
            throw new ComplaintCommandInvalid(new Dictionary<string, string[]> { ["expectedBy"] = [$"{ExpectedBy:O} is not after {at:O}"] });
        return [new ExpectedResolutionDateGiven(ExpectedBy.Value, Reason, at, context.User)];
    }
}

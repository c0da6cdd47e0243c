namespace Complaints.Domain;

/// <summary>The parties settled by themselves (a settlement agreement): the case counts as resolved.</summary>
[CommandName("settlement")]
public sealed record RecordSettlement(string? Terms) : ComplaintCommand
{
    protected override string PastParticiple() => "settled";

    protected override void Validate(ValidationErrors errors) => errors.Required(nameof(Terms), Terms);

    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        RequireStatus(complaint, ComplaintStatus.InMediation, ComplaintStatus.Assigned, ComplaintStatus.Investigating);
        return [new SettledByParties(Terms!.Trim(), at, context.User)];
    }
}

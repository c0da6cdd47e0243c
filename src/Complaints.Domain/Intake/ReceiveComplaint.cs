using System.Net.Mail;

namespace Complaints.Domain;

/// <summary>Registers a complaint from any channel. The first step of a stream, so it decides without state.</summary>
[CommandName("receive")]
public sealed record ReceiveComplaint(
    Channel? Channel,
    Complainant? Complainant,
    string? Description,
    string? Location = null,
    string? Category = null,
    string? RemedySought = null,
    DateTimeOffset? ReceivedAt = null)
{
    /// <param name="accessCodeHash">
    /// The SHA-256 (hex) of the access code drawn for the complainant's lookup, if one is given with the tracking number.
    /// </param>
    public ComplaintReceived Decide(Guid complaintId, string trackingNumber, CommandContext context, string? accessCodeHash = null)
    {
        var errors = Validate(context);
        if (accessCodeHash is not null) IssueAccessCode.CheckHash(errors, accessCodeHash);
        errors.ThrowIfAny();
        return new ComplaintReceived(complaintId, trackingNumber, Channel!.Value, Normalise(Complainant!),
            Description!.Trim(), Blank(Location), Blank(Category), Blank(RemedySought), ReceivedAtOr(context.Now),
            context.User) { AccessCodeHash = accessCodeHash };
    }

    /// <summary>When it was received; a time within the clock tolerance ahead of ours counts as now.</summary>
    public DateTimeOffset ReceivedAtOr(DateTimeOffset now) => ReceivedAt is { } given && given < now ? given : now;

    /// <summary>A source's receipt dated after the moment it is recorded is recorded as received then, and noted.</summary>
    public SourceAnomalyNoted? Noted(CommandContext context) =>
        context.FromSource && ReceivedAt is { } given && given > context.Now + ComplaintCommand.ClockTolerance
            ? new SourceAnomalyNoted(SourceAnomaly.DatedInTheFuture, $"receive dated {given:O}, after it was recorded at {context.Now:O}",
                SourceAnomalyNoted.NoValues, context.Now, context.User)
            : null;

    public ValidationErrors Validate(CommandContext context)
    {
        var now = context.Now;
        var errors = new ValidationErrors();
        errors.RequiredChoice(nameof(Channel), Channel);
        errors.Required(nameof(Description), Description, 10_000);
        errors.MaxLength(nameof(Location), Location, 500);
        errors.MaxLength(nameof(Category), Category, 200);
        errors.MaxLength(nameof(RemedySought), RemedySought, 2_000);
        if (!context.FromSource) ComplaintCommand.CheckNotInFuture(errors, nameof(ReceivedAt), ReceivedAt, now);
        ComplaintCommand.CheckBackdating(errors, nameof(ReceivedAt), ReceivedAt, context);

        if (Complainant is null)
        {
            errors.Add(nameof(Complainant), "is required: name and a way to reply (phone, email or address)");
            return errors;
        }
        errors.Required("complainant.name", Complainant.Name, 200);
        if (string.IsNullOrWhiteSpace(Complainant.Phone) && string.IsNullOrWhiteSpace(Complainant.Email)
            && string.IsNullOrWhiteSpace(Complainant.Address))
            errors.Add(nameof(Complainant), "needs a phone, an email or an address, so that the office can reply");
        errors.MaxLength("complainant.phone", Complainant.Phone, 40);
        errors.MaxLength("complainant.email", Complainant.Email, 254); // the longest address SMTP carries (RFC 5321)
        if (!string.IsNullOrWhiteSpace(Complainant.Phone) && Complainant.Phone.Length <= 40 && !IsPhone(Complainant.Phone))
            errors.Add("complainant.phone", "is not a phone number");
        if (!string.IsNullOrWhiteSpace(Complainant.Email) && Complainant.Email.Length <= 254 && !MailAddress.TryCreate(Complainant.Email.Trim(), out _))
            errors.Add("complainant.email", "is not an email address");
        errors.MaxLength("complainant.address", Complainant.Address, 500);
        return errors;
    }

    private static bool IsPhone(string phone)
    {
        var digits = phone.Count(char.IsDigit);
        return digits is >= 3 and <= 20 && phone.All(ch => char.IsDigit(ch) || " +-().#ext".Contains(ch));
    }

    private static Complainant Normalise(Complainant c) => new(c.Name.Trim(), Blank(c.Phone), Blank(c.Email), Blank(c.Address));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

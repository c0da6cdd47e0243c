namespace Complaints.Domain;

/// <summary>
/// Gives the complainant a new access code for their own lookup: the one they were given is lost, or they were given
/// none (received from another service, or imported). The earlier code stops working. The code is drawn outside the
/// domain and shown to the complainant once; only its SHA-256 comes in here, as data.
/// </summary>
[CommandName("access-code")]
public sealed record IssueAccessCode(string? AccessCodeHash) : ComplaintCommand
{
    protected override void Validate(ValidationErrors errors)
    {
        CheckHash(errors, AccessCodeHash);
        if (At is not null) errors.Add(nameof(At), "a code is issued when it is given to the complainant and cannot be dated otherwise");
    }

    /// <summary>
    /// After an erasure nobody can be told apart as the complainant any more, so there is no one to give a code to; a code
    /// given before goes on working.
    /// </summary>
    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context) =>
        complaint.PersonalDataErasedAt is not null
            ? throw Refuse("complainant-erased",
                "the complainant's personal data was erased, so nobody can be confirmed as the complainant to be given a code")
            : [new AccessCodeIssued(AccessCodeHash!, at, context.User)];

    /// <summary>A SHA-256 written as 64 lower-case hex digits.</summary>
    internal static void CheckHash(ValidationErrors errors, string? hash)
    {
        if (hash is not { Length: 64 } || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            errors.Add(nameof(AccessCodeHash), "is required: the SHA-256 of the access code, as 64 lower-case hex digits");
    }
}

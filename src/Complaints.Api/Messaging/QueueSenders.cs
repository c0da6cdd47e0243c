using System.Security.Claims;
using Complaints.Api.Identity;
using Complaints.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Complaints.Api.Messaging;

/// <summary>
/// Who sent a command on the queue: the subject of the bearer token in the message, checked as an HTTP request's token is
/// (signature, issuer, audience, lifetime), with its roles. The queue is open to whoever can write to the database's queue
/// tables, so the message's own word (its by) counts only within what the token proves.
/// </summary>
public sealed class QueueSenders(IOptionsMonitor<JwtBearerOptions> bearer)
{
    /// <summary>Between the sender's subject and the person acting through it: crm/agent.li.</summary>
    public const char PersonSeparator = '/';

    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };

    /// <summary>The sender's identity, or a refusal (as an invalid command: the message goes to the dead letters).</summary>
    public async Task<ClaimsPrincipal> Authenticate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) throw Invalid("token", "is required: the sender's bearer token, as on HTTP");
        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await _tokens.ValidateTokenAsync(token.Trim(), parameters);
        if (!result.IsValid) throw Invalid("token", "is not valid: " + Why(result.Exception));
        return new ClaimsPrincipal(result.ClaimsIdentity);
    }

    private static string Why(Exception? refusal) => refusal switch
    {
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "it is not signed with the configured key",
        SecurityTokenInvalidIssuerException => "another issuer signed it",
        SecurityTokenInvalidAudienceException => "it is meant for another audience",
        _ => "it cannot be read as a bearer token",
    };

    /// <summary>
    /// Who the events name: the token's subject, or subject/person. A sender cannot name another sender, nor the system's
    /// own users, which are not token subjects (a token minted for one is refused here).
    /// </summary>
    public static string Actor(ClaimsPrincipal sender, string? by)
    {
        var subject = sender.ActingUser();
        if (ReservedUsers.Is(subject)) throw Invalid("token", $"names {subject}, which is the system's own and never a sender");
        if (string.IsNullOrWhiteSpace(by)) return subject;
        var actor = by.Trim();
        if (actor.Length > 200) throw Invalid("by", "is longer than 200 characters");
        return actor == subject || actor.StartsWith(subject + PersonSeparator, StringComparison.Ordinal) && actor.Length > subject.Length + 1
            ? actor
            : throw Invalid("by", $"must be the token's subject {subject}, or {subject}{PersonSeparator}person for a person acting through it");
    }

    /// <summary>The token's roles must do this work, as over HTTP; a role that does not is refused like a 403.</summary>
    public static Acting Acting(ClaimsPrincipal sender, string action, string policy)
    {
        var acting = ActingRoles.Of(sender, policy);
        return acting.Roles.Count > 0
            ? acting
            : throw new ComplaintCommandForbidden(action, $"{action}-not-for-sender",
                $"cannot {action}: the sender's roles ({string.Join(", ", sender.FindAll(TokenSettings.RoleClaim).Select(c => c.Value))}) " +
                $"do not do this work; it needs one of {string.Join(", ", Policies.RolesFor[policy])}");
    }

    private static ComplaintCommandInvalid Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

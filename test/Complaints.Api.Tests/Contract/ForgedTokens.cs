using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Complaints.Api.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Complaints.Api.Tests.Contract;

/// <summary>
/// Authorization headers the API must refuse with 401: tokens signed with another key or none, altered after signing,
/// expired or not yet valid, for another issuer or audience, cut short or padded, and headers that are no bearer token.
/// </summary>
public sealed class ForgedTokens(TokenSettings settings)
{
    public const string User = "fuzz.user";

    private readonly Dictionary<string, string> _issued = [];

    /// <summary>A valid token carrying every role, so that a request reaches whatever it is meant to test.</summary>
    public string Valid() => Issued("", Roles.All);

    /// <summary>A valid token for one role only: the answer may be 403, never a 5xx.</summary>
    public string OneRole(string role) => Issued(role, [role]);

    // Issued once per run (they last longer than any run): signing one per request would cost more than the request.
    private string Issued(string key, string[] roles) =>
        _issued.TryGetValue(key, out var token) ? token : _issued[key] = settings.Issue(User, roles, TimeSpan.FromHours(12), DateTimeOffset.UtcNow);

    public static readonly string[] Kinds =
    [
        "missing", "empty", "scheme-only", "basic", "other-key", "alg-none", "payload-altered", "signature-altered", "header-altered",
        "expired", "not-yet-valid", "other-issuer", "other-audience", "no-expiry", "truncated", "extra-segment", "garbage", "huge", "two-tokens",
    ];

    /// <summary>The Authorization header for a forged or broken token of the given kind; null for no header at all.</summary>
    public string? Header(string kind, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        return kind switch
        {
            "missing" => null,
            "empty" => "Bearer ",
            "scheme-only" => "Bearer",
            "basic" => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin")),
            "other-key" => "Bearer " + Sign(settings.Issuer, settings.Audience, now, TimeSpan.FromHours(1),
                new string('k', 32) + random.Next()),
            "alg-none" => "Bearer " + Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Encode(Payload(now)) + ".",
            "payload-altered" => "Bearer " + Replace(Valid(), 1, Encode(Payload(now, user: "someone.else", role: Roles.Admin))),
            "signature-altered" => "Bearer " + Replace(Valid(), 2, Flip(Valid().Split('.')[2], random)),
            "header-altered" => "Bearer " + Replace(Valid(), 0, Encode(new JsonObject { ["alg"] = "HS512", ["typ"] = "JWT" })),
            "expired" => "Bearer " + Sign(settings.Issuer, settings.Audience, now.AddHours(-3), TimeSpan.FromHours(1), settings.SigningKey),
            "not-yet-valid" => "Bearer " + Sign(settings.Issuer, settings.Audience, now.AddHours(2), TimeSpan.FromHours(1), settings.SigningKey),
            "other-issuer" => "Bearer " + Sign("someone-else", settings.Audience, now, TimeSpan.FromHours(1), settings.SigningKey),
            "other-audience" => "Bearer " + Sign(settings.Issuer, "another-api", now, TimeSpan.FromHours(1), settings.SigningKey),
            "no-expiry" => "Bearer " + Sign(settings.Issuer, settings.Audience, now, null, settings.SigningKey),
            "truncated" => "Bearer " + Valid()[..^random.Next(1, 20)],
            "extra-segment" => "Bearer " + Valid() + "." + Encode(new JsonObject { ["x"] = 1 }),
            "garbage" => "Bearer " + Convert.ToBase64String(Enumerable.Range(0, random.Next(1, 400)).Select(_ => (byte)random.Next(256)).ToArray()),
            "huge" => "Bearer " + Valid() + new string('A', random.Next(8_000, 64_000)),
            "two-tokens" => "Bearer " + Sign(settings.Issuer, settings.Audience, now, TimeSpan.FromHours(1), new string('z', 40)) + ", Bearer " + Valid(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }


    private JsonObject Payload(DateTimeOffset now, string user = User, string role = Roles.Service) => new()
    {
        ["aud"] = settings.Audience,
        ["iss"] = settings.Issuer,
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["sub"] = user,
        ["role"] = new JsonArray(role, Roles.Admin),
    };

    private static string Sign(string issuer, string audience, DateTimeOffset notBefore, TimeSpan? lifetime, string key) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", User), .. Roles.All.Select(r => new Claim("role", r))]),
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = lifetime is { } l ? notBefore.Add(l).UtcDateTime : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());

    private static string Replace(string token, int part, string with)
    {
        var parts = token.Split('.');
        parts[part] = with;
        return string.Join('.', parts);
    }

    /// <summary>The signature with one character changed to another of the base64url alphabet.</summary>
    private static string Flip(string signature, Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var chars = signature.ToCharArray();
        // Not the last character: its low bits may be padding that decodes to the same bytes.
        var at = random.Next(chars.Length - 1);
        chars[at] = alphabet[(alphabet.IndexOf(chars[at]) + 1 + random.Next(alphabet.Length - 1)) % alphabet.Length];
        return new string(chars);
    }
}

using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Complaints.Api.Identity;

/// <summary>
/// JWT bearer tokens, signed with the key configured in Authentication:SigningKey (with its Issuer and Audience). The
/// development key stands in for it only as <see cref="DevelopmentKeys"/> allows: asked for, and on loopback alone.
/// </summary>
public sealed record TokenSettings(string Issuer, string Audience, string SigningKey)
{
    /// <summary>Known to everyone who reads this code: fit for a developer's machine and tests only.</summary>
    public const string DevelopmentKey = "complaints-development-signing-key-not-for-production-use-0123456789";

    public const string DevelopmentIssuer = "complaints-development";

    public const string RoleClaim = "role";
    public const string UserClaim = "sub";

    public static TokenSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Authentication");
        var key = section["SigningKey"];
        var development = string.IsNullOrEmpty(key) || key == DevelopmentKey;
        if (development && DevelopmentKeys.Refusal(configuration, "Authentication:SigningKey") is { } refusal)
            throw new StartRefused(refusal);
        if (!development && Encoding.UTF8.GetByteCount(key!) < 32)
            throw new StartRefused("Authentication:SigningKey must be at least 32 bytes.");
        if (!development && (section["Issuer"] ?? DevelopmentIssuer) == DevelopmentIssuer)
            throw new StartRefused("Authentication:Issuer must name the issuer of the configured signing key.");
        return new TokenSettings(section["Issuer"] ?? DevelopmentIssuer, section["Audience"] ?? "complaints-api", development ? DevelopmentKey : key!);
    }

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(SigningKey));

    public string Issue(string user, IEnumerable<string> roles, TimeSpan lifetime, DateTimeOffset now, IEnumerable<string>? departments = null)
    {
        var claims = new List<Claim> { new(UserClaim, user) };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
        claims.AddRange((departments ?? []).Select(d => new Claim(ActingRoles.DepartmentClaim, d)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>Configuration the API cannot safely start with (a secret missing, a webhook without https): it does not start.</summary>
public sealed class StartRefused(string message) : Exception(message);

public static class AuthenticationSetup
{
    public static void AddComplaintAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => TokenSettings.Read(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenSettings>((options, settings) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = settings.Key,
                    NameClaimType = TokenSettings.UserClaim,
                    RoleClaimType = TokenSettings.RoleClaim,
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
                // The system's own users (promise timers, the importer) act through no token: one naming them is forged.
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.FindFirst(TokenSettings.UserClaim)?.Value is { } user && ReservedUsers.Is(user))
                            context.Fail($"{user} is the system's own user, never a token's subject");
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization(options =>
        {
            // Secure by default: an endpoint that names no policy still needs a valid token.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            foreach (var (policy, roles) in Policies.RolesFor)
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        });
    }

    /// <summary>The acting user recorded on events: the token's subject.</summary>
    public static string ActingUser(this ClaimsPrincipal principal) =>
        principal.FindFirst(TokenSettings.UserClaim)?.Value ?? principal.Identity?.Name
        ?? throw new InvalidOperationException("an authenticated request without a subject");
}

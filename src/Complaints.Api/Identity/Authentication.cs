using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Complaints.Api.Identity;

/// <summary>
/// JWT bearer tokens. Production takes a real issuer, audience and key from configuration; local runs and tests
/// sign their own tokens with the development key, which production refuses.
/// </summary>
public sealed record TokenSettings(string Issuer, string Audience, string SigningKey)
{
    /// <summary>Known to everyone who reads this code: fit for a developer's machine and tests only.</summary>
    public const string DevelopmentKey = "complaints-development-signing-key-not-for-production-use-0123456789";

    public const string RoleClaim = "role";
    public const string UserClaim = "sub";

    public static TokenSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Authentication");
        var settings = new TokenSettings(
            section["Issuer"] ?? "complaints-development",
            section["Audience"] ?? "complaints-api",
            section["SigningKey"] is { Length: > 0 } key ? key : DevelopmentKey);
        if (environment.IsProduction() && (settings.SigningKey == DevelopmentKey || settings.Issuer == "complaints-development"))
            throw new InvalidOperationException(
                "Production needs Authentication:Issuer, Authentication:Audience and Authentication:SigningKey of its own; the development key is refused.");
        if (Encoding.UTF8.GetByteCount(settings.SigningKey) < 32)
            throw new InvalidOperationException("Authentication:SigningKey must be at least 32 bytes.");
        return settings;
    }

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(SigningKey));

    public string Issue(string user, IEnumerable<string> roles, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new List<Claim> { new(UserClaim, user) };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
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

public static class AuthenticationSetup
{
    public static void AddComplaintAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
            TokenSettings.Read(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
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

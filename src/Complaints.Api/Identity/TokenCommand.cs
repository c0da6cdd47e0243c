using Complaints.Api.CommandLine;
using JasperFx.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Complaints.Api.Identity;

public sealed class TokenInput : NetCoreInput
{
    [Description("The role(s) the token grants: " + "intake, dispatcher, handler, reviewer, manager, mediator, analyst, auditor, service, admin")]
    [FlagAlias("role", 'r')]
    public List<string> RoleFlag { get => _roles; set => AddNew(_roles, value); }

    private readonly List<string> _roles = [];

    [Description("The user the token names; recorded on every event the holder causes")]
    [FlagAlias("user", 'u')]
    public string UserFlag { get; set; } = "";

    [Description("The department(s) the holder works in: a handler acts on their cases")]
    [FlagAlias("department", 'd')]
    public List<string> DepartmentFlag { get => _departments; set => AddNew(_departments, value); }

    private readonly List<string> _departments = [];

    [Description("Hours until the token expires (default 12)")]
    [FlagAlias("hours")]
    public int HoursFlag { get; set; } = 12;

    // JasperFx sets a list flag again for each time the flag is given: each adds its values to those before it.
    private static void AddNew(List<string> values, List<string> given)
    {
        foreach (var value in given.ToList())
            if (!values.Contains(value)) values.Add(value);
    }
}

/// <summary>Prints a token signed with the configured key, so that local runs need no identity provider.</summary>
[Description("Print a signed bearer token for a user and role(s), e.g. token --role handler --user li.wei", Name = "token")]
public sealed class TokenCommand : CommandWithOwnOutput<TokenInput>
{
    protected override async Task<bool> Run(TokenInput input)
    {
        var unknown = input.RoleFlag.Where(r => !Roles.All.Contains(r)).ToList();
        if (input.RoleFlag.Count == 0 || unknown.Count > 0 || string.IsNullOrWhiteSpace(input.UserFlag))
        {
            Console.Error.WriteLine($"token needs --user NAME and one or more --role of: {string.Join(", ", Roles.All)}" +
                                    (unknown.Count > 0 ? $" (not {string.Join(", ", unknown)})" : ""));
            return false;
        }
        if (ReservedUsers.Is(input.UserFlag.Trim()))
        {
            Console.Error.WriteLine($"token refused: {input.UserFlag.Trim()} is the system's own user, never a token's subject");
            return false;
        }
        var host = input.BuildHost();
        var settings = host.Services.GetRequiredService<TokenSettings>();
        // A token signed with the configured key is as good as one from the identity provider: its minting is recorded
        // first, or nothing is minted. The development key's tokens are good on a developer's machine only.
        if (settings.SigningKey != TokenSettings.DevelopmentKey)
        {
            try
            {
                await Auditing.AdminActionLog.Record(host.Services.GetRequiredService<Marten.IDocumentStore>(), $"cli:{Environment.UserName}", "mint-token",
                    $"user {input.UserFlag}, roles {string.Join(" ", input.RoleFlag)}, " +
                    (input.DepartmentFlag.Count > 0 ? $"departments {string.Join("; ", input.DepartmentFlag)}, " : "") + $"{input.HoursFlag} h", 0, null, TimeProvider.System, CancellationToken.None);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"token not minted: its minting could not be recorded ({e.GetType().Name}: {e.Message})");
                return false;
            }
        }
        Console.WriteLine(settings.Issue(input.UserFlag, input.RoleFlag, TimeSpan.FromHours(input.HoursFlag), DateTimeOffset.UtcNow,
            input.DepartmentFlag));
        return true;
    }
}

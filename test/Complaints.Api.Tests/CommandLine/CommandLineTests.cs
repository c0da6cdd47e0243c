using System.Diagnostics;
using Complaints.Api.Identity;
using Complaints.Api.Tests.Support;
using JasperFx.CommandLine;
using Microsoft.IdentityModel.JsonWebTokens;
using Shouldly;

namespace Complaints.Api.Tests.CommandLine;

/// <summary>
/// The command line as a person runs it: the built Complaints.Api.dll in a process of its own, its output read whole.
/// A command prints what was asked of it and its errors; the host's logs and JasperFx's search for commands only with
/// --verbose.
/// </summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task token_prints_only_the_token_and_every_repeated_role_counts()
    {
        var run = await Run("token", "--user", "li.wei", "--role", "handler", "--role", "reviewer");

        (run.ExitCode, run.Error).ShouldBe((0, ""));
        run.Output.ShouldEndWith("\n");
        var line = run.Output[..^1];
        line.ShouldNotContain("\n");
        var token = new JsonWebToken(line);
        token.Subject.ShouldBe("li.wei");
        token.Claims.Where(c => c.Type == TokenSettings.RoleClaim).Select(c => c.Value).ShouldBe(["handler", "reviewer"]);
    }

    [Fact]
    public async Task a_token_names_the_departments_its_holder_works_in_and_never_the_systems_own_users()
    {
        var run = await Run("token", "--user", "li.wei", "--role", "handler", "--department", "Property Maintenance", "--department", "Sanitation");
        run.ExitCode.ShouldBe(0, run.Error);
        new JsonWebToken(run.Output.Trim()).Claims.Where(c => c.Type == ActingRoles.DepartmentClaim).Select(c => c.Value)
            .ShouldBe(["Property Maintenance", "Sanitation"]);

        var refused = await Run("token", "--user", "system", "--role", "service");
        (refused.ExitCode, refused.Output).ShouldBe((1, ""));
        refused.Error.ShouldBe("token refused: system is the system's own user, never a token's subject\n");
    }

    [Fact]
    public void roles_given_after_one_flag_and_over_several_flags_all_count()
    {
        var factory = new CommandFactory();
        factory.RegisterCommand<TokenCommand>();
        factory.BuildRun(["token", "--user", "u", "--role", "handler", "reviewer", "--role", "auditor", "--role", "handler"])
            .Input.ShouldBeOfType<TokenInput>().RoleFlag.ShouldBe(["handler", "reviewer", "auditor"]);
    }

    [Fact]
    public async Task a_token_without_a_role_is_refused_in_one_line_on_standard_error()
    {
        var run = await Run("token", "--user", "li.wei");

        (run.ExitCode, run.Output).ShouldBe((1, ""));
        run.Error.ShouldBe($"token needs --user NAME and one or more --role of: {string.Join(", ", Roles.All)}\n");
    }

    [Fact]
    public async Task an_unknown_import_format_is_said_and_nothing_else()
    {
        var run = await RunOn("Host=127.0.0.1;Port=1;Database=unused", "import", "excel", "complaints.csv");

        (run.ExitCode, run.Error).ShouldBe((1, ""));
        run.Output.ShouldBe("Nothing imported: unknown format 'excel'; the formats are cfpb, nyc311\n");
    }

    [Fact]
    public async Task a_token_signed_with_the_configured_key_is_minted_only_once_its_minting_is_recorded()
    {
        var secrets = new Dictionary<string, string?>
        {
            ["Complaints__DevelopmentKeys"] = null,
            ["Authentication__Issuer"] = "https://id.example",
            ["Authentication__SigningKey"] = new string('k', 48),
            ["Complaints__Analytics__ContactKeySecret"] = new string('c', 32),
        };
        var database = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_cli_token");

        var minted = await RunWith(database, secrets, "token", "--user", "ops.jin", "--role", "admin");
        (minted.ExitCode, minted.Error).ShouldBe((0, ""));
        new JsonWebToken(minted.Output.Trim()).Subject.ShouldBe("ops.jin");
        (await TestSql.Lines(database, "select data ->> 'details' from complaints.mt_doc_adminaction where data ->> 'action' = 'mint-token'"))
            .ShouldBe(["user ops.jin, roles admin, 12 h"]);

        // Without a database to record it in, nothing is minted.
        var unrecorded = await RunWith("Host=127.0.0.1;Port=1;Database=nowhere;Timeout=2", secrets, "token", "--user", "ops.jin", "--role", "admin");
        (unrecorded.ExitCode, unrecorded.Output).ShouldBe((1, ""));
        unrecorded.Error.ShouldStartWith("token not minted: its minting could not be recorded");
    }

    [Fact]
    public async Task verify_on_a_database_without_the_event_store_says_so_in_one_line()
    {
        var database = await TestDatabase.Create((Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_cli");
        var run = await RunOn(database, "verify");

        (run.ExitCode, run.Output).ShouldBe((1, ""));
        run.Error.ShouldBe("The event store or its hash chain is not there (relation \"complaints.mt_events\" does not exist); " +
                           "start the API once to create them.\n");
    }

    [Fact]
    public async Task a_failure_of_the_host_is_one_line_naming_the_command()
    {
        var run = await RunOn("Host=127.0.0.1;Port=1;Database=nowhere;Timeout=2", "verify");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldBe("");
        run.Error.ShouldStartWith("verify: ");
        run.Error.TrimEnd('\n').ShouldNotContain("\n");
    }

    [Fact]
    public async Task verbose_gives_back_the_search_for_commands_and_the_whole_failure()
    {
        var run = await RunOn("Host=127.0.0.1;Port=1;Database=nowhere;Timeout=2", "verify", "--verbose");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("Searching 'Marten");
        run.Output.ShouldContain("ERROR:");
    }

    [Fact]
    public async Task the_api_does_not_start_without_its_secrets_and_says_why_in_one_line()
    {
        var run = await RunWith("", new Dictionary<string, string?> { ["Complaints__DevelopmentKeys"] = null, ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldBe("Complaints API not started: Authentication:SigningKey is not configured. Configure it (see docs/security.md), or, " +
                           "on a developer's machine listening on loopback only, set Complaints:DevelopmentKeys=true to use the development keys.\n");
    }

    [Fact]
    public async Task the_development_keys_are_refused_to_an_api_listening_beyond_loopback()
    {
        var run = await RunWith("", new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0;http://0.0.0.0:0" });

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldStartWith("Complaints API not started: Authentication:SigningKey is not configured, and the development keys are only " +
                                  "for an API listening on loopback, not on 'http://0.0.0.0:0'.");
        run.Error.Count(c => c == '\n').ShouldBe(1);
    }

    [Fact]
    public async Task a_configured_signing_key_still_needs_the_contact_key_secret_of_its_own()
    {
        var run = await RunWith("", new Dictionary<string, string?>
        {
            ["Complaints__DevelopmentKeys"] = null,
            ["Authentication__Issuer"] = "https://id.example",
            ["Authentication__SigningKey"] = new string('k', 48),
        }, "token", "--user", "li.wei", "--role", "handler");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldStartWith("Complaints API not started: Complaints:Analytics:ContactKeySecret is not configured.");
    }

    private sealed record CommandRun(int ExitCode, string Output, string Error);

    /// <summary>A command that needs no database: none is configured.</summary>
    private static Task<CommandRun> Run(params string[] args) => RunOn("", args);

    /// <summary>Runs the API's own build, as `dotnet Complaints.Api.dll ARGS` in the Development environment.</summary>
    private static Task<CommandRun> RunOn(string connectionString, params string[] args) => RunWith(connectionString, new Dictionary<string, string?>(), args);

    private static async Task<CommandRun> RunWith(string connectionString, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = global::Complaints.Bench.ApiProcess.ApiAssembly();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ConnectionStrings__Complaints"] = connectionString;
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Complaints__DevelopmentKeys"] = "true";
        foreach (var (key, value) in environment)
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CommandRun(process.ExitCode, await output, await error);
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Complaints.Api.Tests.Support;
using Shouldly;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>
/// The live document passes Redocly's recommended rules and Spectral's OpenAPI rules without an error. The linters are
/// the versions pinned in eng/openapi-lint (package-lock.json), installed with npm ci on the first run; warnings are
/// listed in the test's output.
/// </summary>
public sealed class OpenApiLintTests(ApiFixture fixture) : IAsyncLifetime
{
    private static readonly string Linters = Path.Combine(TestDatabase.RepositoryRoot(), "eng", "openapi-lint");
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private string _document = "";

    public async ValueTask InitializeAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(Linters, "node_modules", ".bin")))
                (await Run("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5))).Exit.ShouldBe(0, "npm ci in eng/openapi-lint");
        }
        finally
        {
            Installing.Release();
        }
        _document = Path.Combine(Path.GetTempPath(), $"complaints-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_document, await LiveDocument.Text(fixture.Host));
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(_document);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task redocly_finds_no_error_under_its_recommended_rules()
    {
        var (exit, output, errors) = await Run(Bin("redocly"), ["lint", _document, "--config", Path.Combine(Linters, "redocly.yaml"), "--format=json"]);
        var report = JsonNode.Parse(output[output.IndexOf('{')..]) ?? throw new ShouldAssertException($"redocly wrote no report: {errors}");
        var problems = report["problems"]!.AsArray()
            .Select(p => ((string)p!["severity"]!, $"{p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}")).ToList();
        Report("Redocly", problems);
        problems.Where(p => p.Item1 == "error").Select(p => p.Item2).ShouldBeEmpty();
        exit.ShouldBe(0, errors);
    }

    [Fact]
    public async Task spectral_finds_no_error_under_its_openapi_rules()
    {
        var (exit, output, errors) = await Run(Bin("spectral"), ["lint", _document, "--ruleset", Path.Combine(Linters, ".spectral.yaml"), "--format=json", "--quiet"]);
        var start = output.IndexOf('[');
        start.ShouldBeGreaterThanOrEqualTo(0, $"spectral wrote no report: {output} {errors}");
        // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
        var problems = JsonNode.Parse(output[start..])!.AsArray()
            .Select(p => ((int)p!["severity"]! == 0 ? "error" : "warning", $"{p["code"]}: {p["message"]} at {string.Join('.', p["path"]!.AsArray())}")).ToList();
        Report("Spectral", problems);
        problems.Where(p => p.Item1 == "error").Select(p => p.Item2).ShouldBeEmpty();
        exit.ShouldBe(0, errors);
    }

    private static void Report(string linter, IReadOnlyList<(string Severity, string Problem)> problems)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{linter}: {problems.Count(p => p.Severity == "error")} errors, {problems.Count(p => p.Severity != "error")} warnings");
        foreach (var (severity, problem) in problems)
            output?.WriteLine($"{linter} {severity}: {problem}");
    }

    private static string Bin(string tool) => Path.Combine(Linters, "node_modules", ".bin", tool);

    private static async Task<(int Exit, string Output, string Errors)> Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Linters,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await errors);
    }
}

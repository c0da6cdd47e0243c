// Build script (Cake 7). Use ./build.sh [--target=Build|Test|Run|Bench] [--urls=http://127.0.0.1:5080]
//   Build  dotnet build Complaints.slnx -c Release
//   Test   (default) Build, then every test project under test/, with a summary line from the TRX files
//   Run    Build, then the API in the foreground until Ctrl+C. --seed-demo first seeds a demo population of 500
//          complaints over the last six months (--seed-demo=N for N), which adds nothing when it is there already.
//   Bench  Build, then the benchmark suite (bench/Complaints.Bench) on database complaints_bench: --smoke,
//          --complaints=N, --seconds=S, --concurrency=1,4,16,64, --soak-minutes=M, --only=http,lag, --fresh
// Database: ConnectionStrings__Complaints from the environment, else the API's appsettings, else the
// checkout's own PostgreSQL started by eng/postgres.sh (COMPLAINTS_PG_PORT, default 55432).

using System.Text.Json;
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = "Release";
var solution = File("./Complaints.slnx");
var testResults = Directory("./TestResults");
const string ConnectionVariable = "ConnectionStrings__Complaints";

Task("Build")
    .Does(() =>
{
    Heading("Build: dotnet build Complaints.slnx -c " + configuration);
    DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoLogo = true,
        Verbosity = DotNetVerbosity.Minimal,
    });
});

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    Heading("Test: database");
    // The test fixtures create (and drop) databases of their own, so they get the server's
    // maintenance database, Database=postgres, to connect to first.
    var connection = ConnectionStringToExport("postgres");

    var projects = GetFiles("./test/**/*.csproj").OrderBy(p => p.FullPath).ToList();
    if (projects.Count == 0) throw new CakeException("No test projects found under test/.");
    if (DirectoryExists(testResults))
        DeleteDirectory(testResults, new DeleteDirectorySettings { Recursive = true, Force = true });
    CreateDirectory(testResults);

    var crashed = new List<string>();
    foreach (var project in projects)
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        Heading("Test: " + name);
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoLogo = true,
            ResultsDirectory = testResults,
            Loggers = { $"trx;LogFileName={name}.trx" },
        };
        if (connection != null) settings.EnvironmentVariables[ConnectionVariable] = connection;
        try
        {
            DotNetTest(project.FullPath, settings);
        }
        catch (Exception e)
        {
            // Failed tests also end here; the TRX counters tell them apart from a crashed run.
            crashed.Add($"{name}: {e.Message}");
        }
    }

    Heading("Test: summary");
    int passed = 0, failed = 0, skipped = 0;
    var trxFiles = GetFiles(testResults.Path.FullPath + "/*.trx").ToList();
    foreach (var trx in trxFiles)
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string attribute) => (int?)counters.Attribute(attribute) ?? 0;
        passed += Count("passed");
        // Errors, timeouts and aborted tests count as failures.
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        // VSTest's TRX logger leaves skipped tests out of `executed` but does not count them in
        // `notExecuted` (it stays 0), so take whichever is larger.
        skipped += Math.Max(Count("notExecuted"), Count("total") - Count("executed"));
    }
    // Plain Console output: one exact, uncoloured line for people and CI to grep.
    Console.WriteLine($"Tests: {passed} passed, {failed} failed, {skipped} skipped");

    var missing = projects.Count - trxFiles.Count;
    if (failed > 0)
        throw new CakeException($"{failed} test(s) failed; details in the output above and in TestResults/.");
    if (crashed.Count > 0 || missing > 0)
        throw new CakeException("A test run did not complete: " + string.Join("; ", crashed)
            + (missing > 0 ? $" ({missing} project(s) wrote no TRX file)" : ""));
});

Task("Run")
    .IsDependentOn("Build")
    .Does(() =>
{
    Heading("Run: database");
    var connection = ConnectionStringToExport("complaints");

    var urls = Argument("urls", EnvironmentVariable("COMPLAINTS_URLS") ?? "");
    if (string.IsNullOrWhiteSpace(urls)) urls = "http://127.0.0.1:5080";
    var baseUrl = BrowsableUrl(urls);

    var settings = new DotNetRunSettings
    {
        Configuration = configuration,
        NoBuild = true,
        // A launch profile would override ASPNETCORE_URLS; do without it and default to the
        // Development environment, as `dotnet run` with the usual profile would.
        ArgumentCustomization = args => args.Append("--no-launch-profile"),
    };
    settings.EnvironmentVariables["ASPNETCORE_URLS"] = urls;
    if (string.IsNullOrEmpty(EnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
        && string.IsNullOrEmpty(EnvironmentVariable("DOTNET_ENVIRONMENT")))
        settings.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = "Development";
    if (connection != null) settings.EnvironmentVariables[ConnectionVariable] = connection;
    // The development keys stand in for secrets not configured, and the API takes them only on loopback (docs/security.md).
    settings.EnvironmentVariables["Complaints__DevelopmentKeys"] = "true";

    if (HasArgument("seed-demo"))
    {
        // `--seed-demo` alone reads as "true"; `--seed-demo=800` names the number of complaints.
        var complaints = int.TryParse(Argument("seed-demo", ""), out var n) && n > 0 ? n : 500;
        Heading($"Run: seed-demo --complaints {complaints}");
        var seed = new DotNetRunSettings
        {
            Configuration = configuration,
            NoBuild = true,
            ArgumentCustomization = args => args.Append("--no-launch-profile").Append("--").Append("seed-demo")
                .Append("--complaints").Append(complaints.ToString()),
        };
        foreach (var variable in settings.EnvironmentVariables) seed.EnvironmentVariables[variable.Key] = variable.Value;
        DotNetRun("./src/Complaints.Api/Complaints.Api.csproj", seed);
    }

    Heading("Run: Complaints API (Ctrl+C to stop)");
    Console.WriteLine($"Complaints API: {baseUrl} (opens the API reference, Scalar, at {baseUrl}/scalar/)");
    Console.WriteLine($"OpenAPI document: {baseUrl}/openapi/v1.json");
    Console.WriteLine("Every /api request needs a bearer token; a development token for a user and role(s):");
    Console.WriteLine("  dotnet run -v q --project src/Complaints.Api -- token --user li.wei --role handler");
    DotNetRun("./src/Complaints.Api/Complaints.Api.csproj", settings);
});

Task("Bench")
    .IsDependentOn("Build")
    .Does(() =>
{
    Heading("Bench: database");
    // A database of its own, with the server's durable commits (the suite also forces synchronous_commit on).
    var connection = ConnectionStringToExport("complaints_bench");

    var arguments = new ProcessArgumentBuilder();
    foreach (var option in new[] { "complaints", "seconds", "concurrency", "soak-minutes", "only", "output", "cfpb", "api" })
        if (HasArgument(option)) arguments.Append("--" + option).AppendQuoted(Argument<string>(option));
    foreach (var flag in new[] { "smoke", "fresh" })
        if (HasArgument(flag) && Argument(flag, "true") != "false") arguments.Append("--" + flag);

    var settings = new DotNetRunSettings { Configuration = configuration, NoBuild = true };
    if (connection != null) settings.EnvironmentVariables[ConnectionVariable] = connection;
    Heading("Bench: bench/Complaints.Bench " + arguments.Render());
    DotNetRun("./bench/Complaints.Bench/Complaints.Bench.csproj", arguments, settings);
});

RunTarget(target);

// ---------------------------------------------------------------------------------------------

void Heading(string text) => Information(Environment.NewLine + "==> " + text);

// The connection string to export as ConnectionStrings__Complaints, or null when the API's
// appsettings already configure one (the app and its tests then read it themselves).
//   1. ConnectionStrings__Complaints in the environment, when set, as is;
//   2. ConnectionStrings:Complaints in src/Complaints.Api/appsettings(.Development).json;
//   3. otherwise this checkout's PostgreSQL (eng/postgres.sh start), database `database`.
string ConnectionStringToExport(string database)
{
    var fromEnvironment = EnvironmentVariable(ConnectionVariable);
    if (!string.IsNullOrWhiteSpace(fromEnvironment))
    {
        Console.WriteLine($"Using {ConnectionVariable} from the environment.");
        return fromEnvironment;
    }

    foreach (var file in new[] { "appsettings.Development.json", "appsettings.json" })
    {
        var path = File("./src/Complaints.Api/" + file).Path.FullPath;
        if (!System.IO.File.Exists(path)) continue;
        if (!string.IsNullOrWhiteSpace(ConnectionStringIn(path)))
        {
            Console.WriteLine($"Using ConnectionStrings:Complaints from src/Complaints.Api/{file}.");
            return null;
        }
    }

    Console.WriteLine($"Starting this checkout's PostgreSQL: eng/postgres.sh start {database}");
    var exitCode = StartProcess("bash", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().Append("eng/postgres.sh").Append("start").Append(database),
        WorkingDirectory = MakeAbsolute(Directory(".")),
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    }, out var stdout, out var stderr);
    var messages = stderr.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
    if (exitCode != 0)
        throw new CakeException(messages.Count > 0
            ? string.Join(Environment.NewLine, messages)
            : $"eng/postgres.sh start failed with exit code {exitCode}.");
    foreach (var line in messages) Console.WriteLine(line);
    var connection = stdout.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim();
    if (string.IsNullOrEmpty(connection)) throw new CakeException("eng/postgres.sh start printed no connection string.");
    // The password stays out of the build's log.
    Console.WriteLine($"{ConnectionVariable}={System.Text.RegularExpressions.Regex.Replace(connection, "(?i)(Password=)[^;]*", "$1***")}");
    return connection;
}

static string ConnectionStringIn(string appsettingsPath)
{
    using var document = JsonDocument.Parse(System.IO.File.ReadAllText(appsettingsPath),
        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
    foreach (var section in document.RootElement.EnumerateObject())
    {
        if (!string.Equals(section.Name, "ConnectionStrings", StringComparison.OrdinalIgnoreCase)
            || section.Value.ValueKind != JsonValueKind.Object) continue;
        foreach (var entry in section.Value.EnumerateObject())
            if (string.Equals(entry.Name, "Complaints", StringComparison.OrdinalIgnoreCase) && entry.Value.ValueKind == JsonValueKind.String)
                return entry.Value.GetString();
    }
    return null;
}

// The first of the --urls, with wildcard hosts replaced by one a browser can open.
static string BrowsableUrl(string urls)
{
    var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].TrimEnd('/');
    foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        if (first.Contains(wildcard)) return first.Replace(wildcard, "://localhost");
    return first;
}

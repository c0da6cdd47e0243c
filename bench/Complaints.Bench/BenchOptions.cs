using System.Globalization;

namespace Complaints.Bench;

/// <summary>What a run measures and how long: the command line of the suite.</summary>
public sealed record BenchOptions
{
    public const string Usage =
        """
        Complaints benchmark suite. Every figure is reported against a baseline measured in the same run.

          --complaints N        population size (default 100000; reused when already there)
          --seconds S           seconds per measurement (default 10)
          --concurrency LIST    closed-loop concurrency sweep (default 1,4,16,64)
          --soak-minutes M      memory soak of the API at 50 % load (default 10; 0 skips; fractions allowed)
          --only NAMES          comma-separated steps: raw, marten, http, lag, reads, soak, rebuild, import
          --smoke               tiny and quick: 200 complaints, 1 s steps, concurrency 1,4, 3 s soak
          --fresh               drop the population and seed it again
          --connection CS       the database (else ConnectionStrings__Complaints, else the API's appsettings)
          --output DIR          where the Markdown and JSON go (default bench/results in the checkout)
          --cfpb FILE           the CFPB sample for the import step (default: shared/data beside the checkout)
          --api DLL             another build of Complaints.Api.dll to measure (e.g. a change tried in a copy)
        """;

    public static readonly string[] StepNames = ["raw", "marten", "http", "lag", "reads", "soak", "rebuild", "import"];

    public int Complaints { get; init; } = 100_000;
    public double Seconds { get; init; } = 10;
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16, 64];
    public double SoakMinutes { get; init; } = 10;
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StepNames);
    public bool Smoke { get; init; }
    public bool Fresh { get; init; }
    public string? Connection { get; init; }
    public string? Output { get; init; }
    public string? CfpbFile { get; init; }
    public string? Api { get; init; }

    /// <summary>The concurrency at which the throughput goals are judged.</summary>
    public const int GoalConcurrency = 16;

    /// <summary>Concurrent readers in the reads step.</summary>
    public int Readers { get; init; } = 8;

    public bool Runs(string step) => Only.Contains(step);

    /// <summary>Short warm-up before a measured series, so that JIT and pools are not measured.</summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(Smoke ? 0.3 : Math.Min(2, Seconds / 3));

    /// <summary>
    /// Load before a command path (Marten direct, or the API freshly started) is first measured. A server runs for days:
    /// for its first half minute the runtime is still compiling its code (tiered JIT), and a measure taken then counts
    /// that compilation.
    /// </summary>
    public TimeSpan SteadyWarmUp => Smoke ? WarmUp : TimeSpan.FromSeconds(30);

    public TimeSpan Step => TimeSpan.FromSeconds(Seconds);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new BenchUsageException($"unexpected argument '{arg}'");
            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) (name, value) = (name[..eq], name[(eq + 1)..]);
            else if (name is not ("smoke" or "fresh" or "help") && i + 1 < args.Count) value = args[++i];
            values[name] = value;
        }

        if (values.ContainsKey("help")) throw new BenchUsageException(null);
        var known = new[] { "complaints", "seconds", "concurrency", "soak-minutes", "only", "smoke", "fresh", "connection", "output", "cfpb", "api" };
        var unknown = values.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0) throw new BenchUsageException($"unknown option --{unknown[0]}");

        var smoke = values.TryGetValue("smoke", out var s) && s is null or "true" or "1";
        var options = smoke
            ? new BenchOptions { Smoke = true, Complaints = 200, Seconds = 1, Concurrency = [1, 4], SoakMinutes = 0.05 }
            : new BenchOptions();

        if (values.TryGetValue("complaints", out var complaints)) options = options with { Complaints = Int(complaints, "complaints", 1) };
        if (values.TryGetValue("seconds", out var seconds)) options = options with { Seconds = Number(seconds, "seconds", 0.2) };
        if (values.TryGetValue("concurrency", out var concurrency))
            options = options with { Concurrency = List(concurrency, "concurrency").Select(c => Int(c, "concurrency", 1)).Distinct().Order().ToList() };
        if (values.TryGetValue("soak-minutes", out var soak)) options = options with { SoakMinutes = Number(soak, "soak-minutes", 0) };
        if (values.TryGetValue("only", out var only))
        {
            var steps = List(only, "only").Select(x => x.ToLowerInvariant()).ToHashSet();
            var bad = steps.Where(x => !StepNames.Contains(x)).ToList();
            if (bad.Count > 0) throw new BenchUsageException($"--only takes {string.Join(", ", StepNames)}; not {string.Join(", ", bad)}");
            options = options with { Only = steps };
        }
        if (values.ContainsKey("fresh")) options = options with { Fresh = true };
        if (values.TryGetValue("connection", out var connection)) options = options with { Connection = connection };
        if (values.TryGetValue("output", out var output)) options = options with { Output = output };
        if (values.TryGetValue("cfpb", out var cfpb)) options = options with { CfpbFile = cfpb };
        if (values.TryGetValue("api", out var api)) options = options with { Api = api };
        return options;
    }

    private static IEnumerable<string> List(string? value, string name) =>
        (value ?? throw new BenchUsageException($"--{name} needs a value"))
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(string? value, string name, int min) =>
        int.TryParse((value ?? "").Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new BenchUsageException($"--{name} must be a whole number of at least {min}, not '{value}'");

    private static double Number(string? value, string name, double min) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new BenchUsageException($"--{name} must be a number of at least {min}, not '{value}'");
}

public sealed class BenchUsageException(string? message) : Exception(message ?? "usage");

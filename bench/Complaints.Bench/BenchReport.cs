using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Complaints.Bench;

/// <summary>One line of the table: a figure, what it is compared with, the ratio, and the goal it serves when it serves one.</summary>
public sealed record BenchRow(
    string Step,
    string Measure,
    double? Value,
    string Unit,
    string? Baseline = null,
    double? BaselineValue = null,
    double? Ratio = null,
    string? Goal = null,
    bool? Met = null,
    string? Note = null);

/// <summary>A goal of the issue, met or not, with the figure and (when missed) why.</summary>
public sealed record BenchGoal(string Name, string Target, double? Figure, string FigureText, bool? Met, string? Why = null);

/// <summary>Everything a run found: printed as one table, written as Markdown and JSON.</summary>
public sealed class BenchReport
{
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public double Seconds { get; set; }
    public string Machine { get; init; } = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
    public required BenchOptionsSummary Options { get; init; }
    public List<KeyValuePair<string, string>> Server { get; } = [];
    public PopulationInfo? Population { get; set; }
    public List<BenchRow> Rows { get; } = [];
    public List<BenchGoal> Goals { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>The statements that took the most time during the HTTP steps, when pg_stat_statements is loaded.</summary>
    public List<StatementProfile> Statements { get; } = [];

    public IReadOnlySet<string> StepsRun => Rows.Select(r => r.Step).ToHashSet();

    public void Add(BenchRow row)
    {
        lock (Rows) Rows.Add(row);
    }

    public void Note(string note)
    {
        lock (Notes) Notes.Add(note);
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark run {StartedAt:yyyy-MM-dd HH:mm:ss} UTC");
        md.AppendLine();
        md.AppendLine($"Machine: {Machine}. Run took {Seconds:N0} s. Options: {Options.Text}.");
        md.AppendLine();
        md.AppendLine("Server: " + string.Join(", ", Server.Select(s => $"{s.Key} = {s.Value}")) + ".");
        if (Population is { } p)
        {
            md.AppendLine();
            md.AppendLine($"Population: {p.Complaints:N0} complaints ({p.Seeded:N0} seeded{(p.SeededThisRun > 0 ? $", {p.SeededThisRun:N0} of them this run in {p.SeedSeconds:N0} s" : ", reused")}), " +
                          $"{p.Events:N0} events ({p.EventsPerComplaint:N1} per complaint); event JSON {p.MeanEventBytes:N0} bytes on average " +
                          $"(p10 {p.P10EventBytes:N0}, p90 {p.P90EventBytes:N0}).");
        }
        md.AppendLine();
        md.AppendLine("| step | measure | figure | baseline (same run) | ratio | goal |");
        md.AppendLine("| --- | --- | ---: | --- | ---: | --- |");
        // In the issue's order (the steps run in another: the rebuild needs the API stopped).
        foreach (var r in Rows.Select((row, i) => (row, i)).OrderBy(x => x.row.Step, StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.row))
        {
            var figure = r.Value is { } v ? $"{Format(v)} {r.Unit}".Trim() : "—";
            var baseline = r.Baseline is null ? "" : r.BaselineValue is { } b ? $"{r.Baseline}: {Format(b)}" : r.Baseline;
            var ratio = r.Ratio is { } x ? $"{x.ToString(x < 0.01 ? "0.0000" : "0.00", CultureInfo.InvariantCulture)}×" : "";
            var goal = r.Goal is null ? "" : $"{r.Goal}: {(r.Met switch { true => "**met**", false => "**not met**", _ => "not measured" })}";
            var measure = r.Note is null ? r.Measure : $"{r.Measure} ({r.Note})";
            md.AppendLine($"| {r.Step} | {Escape(measure)} | {figure} | {Escape(baseline)} | {ratio} | {Escape(goal)} |");
        }
        md.AppendLine();
        md.AppendLine("## Goals");
        md.AppendLine();
        foreach (var g in Goals)
        {
            var verdict = g.Met switch { true => "met", false => "NOT MET", _ => "not measured" };
            md.AppendLine($"- **{verdict}** — {g.Name} ({g.Target}): {g.FigureText}{(g.Why is null ? "" : $". {g.Why}")}");
        }
        if (Statements.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Statements by total time during the HTTP steps (pg_stat_statements)");
            md.AppendLine();
            md.AppendLine("| calls | total ms | mean ms | rows | statement |");
            md.AppendLine("| ---: | ---: | ---: | ---: | --- |");
            foreach (var s in Statements)
                md.AppendLine($"| {s.Calls:N0} | {s.TotalMs:N0} | {s.MeanMs:N3} | {s.Rows:N0} | `{Escape(s.Query)}` |");
        }
        if (Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var n in Notes) md.AppendLine($"- {n}");
        }
        return md.ToString();
    }

    public string Json() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}

public sealed record BenchOptionsSummary(int Complaints, double Seconds, IReadOnlyList<int> Concurrency, double SoakMinutes, IReadOnlyList<string> Steps, bool Smoke,
    string? Api = null)
{
    public string Text => $"--complaints {Complaints} --seconds {Seconds} --concurrency {string.Join(",", Concurrency)} --soak-minutes {SoakMinutes}" +
                          (Smoke ? " --smoke" : "") + (Steps.Count < BenchOptions.StepNames.Length ? $" --only {string.Join(",", Steps)}" : "") +
                          (Api is null ? "" : $" --api {Api}");

    public static BenchOptionsSummary From(BenchOptions o) =>
        new(o.Complaints, o.Seconds, o.Concurrency, o.SoakMinutes, BenchOptions.StepNames.Where(o.Runs).ToList(), o.Smoke, o.Api);
}

public sealed record StatementProfile(long Calls, double TotalMs, double MeanMs, long Rows, string Query);

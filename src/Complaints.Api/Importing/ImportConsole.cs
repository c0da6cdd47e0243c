using System.Diagnostics;
using Spectre.Console;

namespace Complaints.Api.Importing;

/// <summary>
/// What an import shows while it runs and when it ends. On a terminal: a live progress bar with the rate and the time
/// left; when the output is redirected (CI, a log file): a plain line at most once a second, so nothing is garbled.
/// </summary>
public static class ImportConsole
{
    public static async Task<ImportSummary> WithProgress(IAnsiConsole console, string title,
        Func<IProgress<ImportProgress>, Task<ImportSummary>> import)
    {
        var watch = Stopwatch.StartNew();
        if (console.Profile.Capabilities is { Interactive: true, Ansi: true })
        {
            ImportSummary summary = null!;
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                    task.IsIndeterminate = true;
                    summary = await import(new Immediate(p =>
                    {
                        if (p is { Length: > 0 and var length, Position: var position })
                        {
                            task.IsIndeterminate = false;
                            task.MaxValue = length;
                            task.Value = Math.Min(position ?? 0, length);
                        }
                        task.Description = Markup.Escape($"{title}: {p.RowsRead:N0} rows, {Rate(p.RowsRead, watch):N0} rows/s");
                    }));
                    task.IsIndeterminate = false;
                    task.Value = task.MaxValue;
                    task.StopTask();
                });
            return summary;
        }

        var lastLine = TimeSpan.Zero;
        return await import(new Immediate(p =>
        {
            if (watch.Elapsed - lastLine < TimeSpan.FromSeconds(1)) return;
            lastLine = watch.Elapsed;
            Plain(console, PlainLine(title, p, watch.Elapsed));
        }));
    }

    /// <summary>"cfpb: 2,000 rows read (45%), 1,650 rows/s, about 2 s left".</summary>
    public static string PlainLine(string title, ImportProgress p, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? p.RowsRead / elapsed.TotalSeconds : 0;
        var line = $"{title}: {p.RowsRead:N0} rows read";
        if (p is { Length: > 0 and var length, Position: { } position })
        {
            var share = Math.Min(1, (double)position / length);
            line += $" ({share:P0})";
            if (share > 0) line += $", {rate:N0} rows/s, about {Math.Ceiling(elapsed.TotalSeconds * (1 - share) / share):N0} s left";
        }
        else line += $", {rate:N0} rows/s";
        return line;
    }

    public static void WriteSummary(IAnsiConsole console, ImportSummary summary, string? analyticsNote = null)
    {
        var would = summary.DryRun ? " (would be)" : "";
        var table = new Table().Border(TableBorder.Simple).HideHeaders()
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("rows read", $"{summary.RowsRead:N0}");
        table.AddRow("complaints created" + would, $"{summary.ComplaintsCreated:N0}");
        table.AddRow("skipped", $"{summary.Skipped:N0}");
        foreach (var (reason, rows) in summary.SkippedByReason)
            table.AddRow(Markup.Escape("  " + reason), $"{rows:N0}");
        table.AddRow("with data-quality notes" + would, $"{summary.ComplaintsNoted:N0}");
        foreach (var (anomaly, notes) in summary.AnomaliesNoted.OrderByDescending(a => a.Value).ThenBy(a => a.Key.ToString(), StringComparer.Ordinal))
            table.AddRow(Markup.Escape($"  {anomaly}"), $"{notes:N0}");
        table.AddRow("events written" + would, $"{summary.EventsWritten:N0}");
        table.AddRow("seconds", $"{summary.Seconds:N1} ({summary.RowsPerSecond:N0} rows/s)");
        console.Write(new Markup($"[bold]{(summary.DryRun ? "Dry run of an import" : "Import")} {Markup.Escape(summary.Source)}[/]"));
        console.WriteLine();
        console.Write(table);

        if (summary.DryRun) Plain(console, "Dry run: nothing was written (no events, no streams, no tracking numbers).");
        if (summary.IgnoredColumns.Count > 0)
            Plain(console, Printable($"Columns ignored (the format does not know them): {string.Join(", ", summary.IgnoredColumns)}"));
        if (summary.BadRowCount > 0)
        {
            Plain(console, summary.DryRun ? "Bad rows (they would be skipped):" : "Bad rows (skipped; the rest were imported):");
            foreach (var bad in summary.BadRows)
                Plain(console, Printable($"  line {bad.Line}{(bad.SourceId is null ? "" : $" (id {bad.SourceId})")}: {bad.Reason}: {bad.Detail}"));
            if (summary.BadRowCount > summary.BadRows.Count)
                Plain(console, $"  … and {summary.BadRowCount - summary.BadRows.Count:N0} more (--report FILE lists them all)");
        }
        if (summary.NotedRows.Count > 0)
        {
            Plain(console, "Data-quality notes (imported as the source says, and noted on the case):");
            foreach (var noted in summary.NotedRows)
                Plain(console, Printable($"  line {noted.Line} (id {noted.SourceId}): {noted.Anomaly}: {noted.Detail} " +
                                         $"[{string.Join(", ", noted.SourceValues.Select(v => $"{v.Key} = {v.Value ?? "(empty)"}"))}]"));
            var more = summary.AnomaliesNoted.Values.Sum() - summary.NotedRows.Count;
            if (more > 0) Plain(console, $"  … and {more:N0} more");
        }
        if (analyticsNote is not null) Plain(console, analyticsNote);
    }

    /// <summary>
    /// A line that quotes a source file, with its control characters written out (\u001B): an escape sequence in a CSV
    /// value would otherwise reach the terminal and act there (move the cursor, rewrite the screen, set the title).
    /// </summary>
    public static string Printable(string line)
    {
        if (!line.Any(char.IsControl)) return line;
        var text = new System.Text.StringBuilder(line.Length + 16);
        foreach (var ch in line) text.Append(char.IsControl(ch) ? $"\\u{(int)ch:X4}" : ch);
        return text.ToString();
    }

    /// <summary>A line as it is, unwrapped and without markup, so that logs can be searched for it.</summary>
    public static void Plain(IAnsiConsole console, string line) => console.Profile.Out.Writer.WriteLine(line);

    private static double Rate(long rows, Stopwatch watch) => watch.Elapsed.TotalSeconds > 0 ? rows / watch.Elapsed.TotalSeconds : 0;

    /// <summary>Reports on the importer's own thread, so that the last report is shown before the summary.</summary>
    private sealed class Immediate(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}

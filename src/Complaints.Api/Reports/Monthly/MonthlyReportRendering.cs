using System.Globalization;
using System.Net;
using System.Text;
using Complaints.Api.Analytics;

namespace Complaints.Api.Reports.Monthly;

/// <summary>One figure of the report: the section it belongs to, its name, what it is broken down by, and both months.</summary>
public sealed record MonthlyReportLine(string Section, string Figure, string Key, string ThisMonth, string PreviousMonth);

/// <summary>The report as CSV (one row per figure) and as a printable, self-contained HTML page.</summary>
public static class MonthlyReportRendering
{
    private static readonly (string Section, string Title)[] Sections =
    [
        ("volume", "Volume received"),
        ("flow", "Received, closed and backlog"),
        ("onTime", "On-time resolution"),
        ("cycleTimes", "Cycle times (hours)"),
        ("satisfaction", "Satisfaction at follow-up"),
        ("reReviews", "Re-reviews requested in the month"),
        ("escalations", "Escalations"),
        ("missedPromises", "Service promises missed"),
        ("mediationOutcomes", "Mediation outcomes"),
        ("repeatComplainants", "Repeat complainants"),
        ("topCategories", "Top categories"),
        ("topLocations", "Top locations"),
    ];

    /// <summary>What the page counts, when not every case.</summary>
    private static string QualityNote(MonthlyReport report) => report.Quality switch
    {
        Analytics.DataQuality.Clean => " Only cases without data-quality notes.",
        Analytics.DataQuality.Noted => " Only cases with data-quality notes.",
        _ => "",
    };

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["channel"] = "By channel",
        ["category"] = "By category",
        ["department"] = "By department",
        ["location"] = "By location",
        ["received"] = "Received",
        ["closed"] = "Closed",
        ["backlogAtMonthEnd"] = "Backlog at month end",
        ["due"] = "Resolution promises due",
        ["met"] = "Resolved by the due date",
        ["rate"] = "Rate",
        ["count"] = "Cases",
        ["medianHours"] = "Median",
        ["p90Hours"] = "90th percentile",
        ["rated"] = "Follow-ups rated",
        ["satisfied"] = "Satisfied",
        ["meanScore"] = "Mean score (1–5)",
        ["requested"] = "Requested",
        ["reReviewed"] = "Re-reviewed",
        ["withdrawn"] = "Withdrawn",
        ["stillWaiting"] = "Still waiting",
        ["satisfiedAtNextFollowUp"] = "Re-reviewed and satisfied at the next follow-up",
        ["escalated"] = "Escalated",
        ["ended"] = "Ended",
        ["missed"] = "Missed",
        ["complainants"] = "Complainants with more than one complaint this month",
        ["complaints"] = "Their complaints this month",
        ["complainedInAnEarlierMonth"] = "Complainants who had complained in an earlier month",
    };

    /// <summary>On the received basis, the titles and labels whose words would say otherwise.</summary>
    private static readonly Dictionary<string, string> ReceivedWords = new()
    {
        ["flow"] = "Received, closed since and still open",
        ["reReviews"] = "Re-reviews of the month's complaints",
        ["closed"] = "Closed since",
        ["backlogAtMonthEnd"] = "Still open",
    };

    private static string Words(MonthlyReport report, string key, string words) =>
        report.Basis == Basis.Received.Name ? ReceivedWords.GetValueOrDefault(key, words) : words;

    /// <summary>What the report's figures count, in a sentence.</summary>
    public static string BasisSentence(MonthlyReport report) => report.Basis == Basis.Received.Name
        ? FormattableString.Invariant($"Complaints received from {report.From:yyyy-MM-dd} to {report.To.AddDays(-1):yyyy-MM-dd} (UTC) and what became of them since, whenever it happened (basis: received), beside those received in {report.PreviousMonth}.")
        : FormattableString.Invariant($"Facts that happened from {report.From:yyyy-MM-dd} to {report.To.AddDays(-1):yyyy-MM-dd} (UTC) (basis: event), beside {report.PreviousMonth}.");

    /// <summary>Every figure of the report, in the order it is printed; the first lines say which basis and which cases it counts.</summary>
    public static IEnumerable<MonthlyReportLine> Lines(MonthlyReport report)
    {
        yield return new MonthlyReportLine("report", "basis", report.Basis, "", "");
        yield return new MonthlyReportLine("report", "quality", report.Quality.ToString().ToLowerInvariant(), "", "");

        MonthlyReportLine Line<T>(string section, string figure, string key, Compared<T> value) =>
            new(section, figure, key, Number(value.ThisMonth), Number(value.PreviousMonth));
        IEnumerable<MonthlyReportLine> Counts(string section, string figure, IEnumerable<KeyedCount> counts) =>
            counts.Select(c => new MonthlyReportLine(section, figure, c.Key, Number(c.ThisMonth), Number(c.PreviousMonth)));
        IEnumerable<MonthlyReportLine> Ranked(string section, IEnumerable<KeyedCount> counts) =>
            counts.Select((c, i) => new MonthlyReportLine(section, (i + 1).ToString(CultureInfo.InvariantCulture), c.Key,
                Number(c.ThisMonth), Number(c.PreviousMonth)));

        var v = report.Volume;
        foreach (var line in Counts("volume", "channel", v.ByChannel)) yield return line;
        foreach (var line in Counts("volume", "category", v.ByCategory)) yield return line;
        foreach (var line in Counts("volume", "department", v.ByDepartment)) yield return line;
        foreach (var line in Counts("volume", "location", v.ByLocation)) yield return line;

        yield return Line("flow", "received", "", report.Flow.Received);
        yield return Line("flow", "closed", "", report.Flow.Closed);
        yield return Line("flow", "backlogAtMonthEnd", "", report.Flow.BacklogAtMonthEnd);

        yield return Line("onTime", "due", "", report.OnTime.Due);
        yield return Line("onTime", "met", "", report.OnTime.Met);
        yield return Line("onTime", "rate", "", report.OnTime.Rate);

        foreach (var stage in report.CycleTimes)
        {
            yield return Line("cycleTimes", "count", stage.Stage, stage.Count);
            yield return Line("cycleTimes", "medianHours", stage.Stage, stage.MedianHours);
            yield return Line("cycleTimes", "p90Hours", stage.Stage, stage.P90Hours);
        }

        var s = report.Satisfaction;
        yield return Line("satisfaction", "rated", "", s.Rated);
        yield return Line("satisfaction", "satisfied", "", s.Satisfied);
        yield return Line("satisfaction", "rate", "", s.Rate);
        yield return Line("satisfaction", "meanScore", "", s.MeanScore);

        var r = report.ReReviews;
        yield return Line("reReviews", "requested", "", r.Requested);
        yield return Line("reReviews", "reReviewed", "", r.ReReviewed);
        yield return Line("reReviews", "withdrawn", "", r.Withdrawn);
        yield return Line("reReviews", "stillWaiting", "", r.StillWaiting);
        yield return Line("reReviews", "satisfiedAtNextFollowUp", "", r.SatisfiedAtNextFollowUp);

        foreach (var line in Counts("escalations", "escalated", report.Escalations)) yield return line;
        foreach (var line in Counts("missedPromises", "missed", report.MissedPromises)) yield return line;
        foreach (var line in Counts("mediationOutcomes", "ended", report.MediationOutcomes)) yield return line;

        var repeat = report.RepeatComplainants;
        yield return Line("repeatComplainants", "complainants", "", repeat.Complainants);
        yield return Line("repeatComplainants", "complaints", "", repeat.Complaints);
        yield return Line("repeatComplainants", "complainedInAnEarlierMonth", "", repeat.ComplainedInAnEarlierMonth);

        foreach (var line in Ranked("topCategories", report.TopCategories)) yield return line;
        foreach (var line in Ranked("topLocations", report.TopLocations)) yield return line;
    }

    public static string Csv(MonthlyReport report)
    {
        var csv = new StringBuilder("section,figure,key,this_month,previous_month\r\n");
        foreach (var l in Lines(report))
            csv.Append(Field(l.Section)).Append(',').Append(Field(l.Figure)).Append(',').Append(Field(l.Key)).Append(',')
                .Append(l.ThisMonth).Append(',').Append(l.PreviousMonth).Append("\r\n");
        return csv.ToString();
    }

    public static string Html(MonthlyReport report)
    {
        string E(string text) => WebUtility.HtmlEncode(text);
        var title = $"Monthly complaints report {report.Month}" + (report.Basis == Basis.Received.Name ? ", by month received" : "");
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{E(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; }
            h2 { font-size: 1.1em; margin-top: 1.5em; }
            p.meta { color: #555; margin-top: 0; }
            table { border-collapse: collapse; min-width: 32em; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            thead th { background: #eee; }
            section { break-inside: avoid; }
            @media print { body { margin: 0; } }
            </style>
            </head>
            <body>
            <h1>{{E(title)}}</h1>
            <p class="meta">{{E(BasisSentence(report) + FormattableString.Invariant($" Generated {report.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.{QualityNote(report)}"))}}</p>

            """);

        var lines = Lines(report).ToList();
        foreach (var (section, sectionTitle) in Sections)
        {
            var rows = lines.Where(l => l.Section == section).ToList();
            var ranked = section.StartsWith("top", StringComparison.Ordinal);
            html.Append($"<section>\n<h2>{E(Words(report, section, sectionTitle))}</h2>\n");
            if (rows.Count == 0)
            {
                html.Append("<p>None this month.</p>\n</section>\n");
                continue;
            }
            html.Append("<table>\n<thead><tr>")
                .Append($"<th>{(ranked ? "Rank" : "Figure")}</th><th>{(ranked ? "Name" : "")}</th>")
                .Append($"<th class=\"n\">{E(report.Month)}</th><th class=\"n\">{E(report.PreviousMonth)}</th></tr></thead>\n<tbody>\n");
            foreach (var l in rows)
                html.Append($"<tr><td>{E(Words(report, l.Figure, Labels.GetValueOrDefault(l.Figure, l.Figure)))}</td><td>{E(l.Key)}</td>")
                    .Append($"<td class=\"n\">{E(l.ThisMonth)}</td><td class=\"n\">{E(l.PreviousMonth)}</td></tr>\n");
            html.Append("</tbody>\n</table>\n</section>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Number<T>(T value) => value switch
    {
        null => "",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A CSV field, quoted when it holds a comma, quote or line break. Text that a spreadsheet would run as a
    /// formula (=, +, -, @ first) is prefixed with an apostrophe, since keys are free text typed by people.
    /// </summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

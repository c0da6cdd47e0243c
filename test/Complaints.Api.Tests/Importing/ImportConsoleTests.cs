using Complaints.Api.Importing;
using Shouldly;

namespace Complaints.Api.Tests.Importing;

/// <summary>What the importer prints of a source file cannot act on the terminal it is printed to.</summary>
public sealed class ImportConsoleTests
{
    [Fact]
    public void a_bad_rows_values_are_printed_with_their_control_characters_written_out()
    {
        var (console, output) = ImportTestSupport.CapturedConsole();
        var summary = new ImportSummary("cfpb", 1, 0, 0,
            [new BadRow(2, "\u001b]0;owned\u0007", "unreadable date", "'\u001b[2J\u001b[31m2024-13-01'")], 0, 0.1);

        ImportConsole.WriteSummary(console, summary);

        var text = output.ToString();
        text.ShouldNotContain("\u001b");
        text.ShouldNotContain("\u0007");
        text.ShouldContain(@"line 2 (id \u001B]0;owned\u0007): unreadable date: '\u001B[2J\u001B[31m2024-13-01'");
    }

    [Fact]
    public void a_line_without_control_characters_is_printed_as_it_is() =>
        ImportConsole.Printable("line 7: 楼上漏水 — no date").ShouldBe("line 7: 楼上漏水 — no date");
}

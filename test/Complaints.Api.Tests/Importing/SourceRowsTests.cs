using System.Text;
using Complaints.Api.Importing;
using Complaints.Domain;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>How an export's text becomes rows (the CSV read by Sep, then mapped by the format), on what exports really contain. No database.</summary>
public sealed class SourceRowsTests
{
    /// <summary>The header of the CFPB's database export as published today.</summary>
    public const string PublishedCfpbHeader =
        "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags," +
        "Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID";

    private static string Row(string id, string narrative = "", string tags = "", string zip = "08512") => Line(
        "2024-03-01", "Credit card", "General-purpose credit card", "Fees or interest", "Charged too much", narrative,
        "Company has responded to the consumer and the CFPB", "Capital One", "NJ", zip, tags, "Consent provided", "Web", "2024-03-04",
        "Closed with explanation", "Yes", "N/A", id);

    private static List<ImportRow> Read(string text, out SourceRows rows)
    {
        rows = ComplaintImporter.Rows(ComplaintImporter.Format("cfpb"), new StringReader(text));
        return [.. rows];
    }

    [Fact]
    public void the_export_as_the_cfpb_publishes_it_today_is_read_with_every_column_known()
    {
        var rows = Read(PublishedCfpbHeader + "\r\n" + Row("8800001", tags: "Older American, Servicemember") + "\r\n" + Row("8800002", zip: "10001"), out var file);

        file.IgnoredColumns.ShouldBeEmpty();
        rows.ShouldAllBe(r => r.Bad == null);
        var first = rows[0].Complaint!;
        first.SourceId.ShouldBe("8800001");
        first.Receive.Channel.ShouldBe(Channel.Online);
        first.Receive.Category.ShouldBe("Credit card");
        first.Receive.Location.ShouldBe("NJ 08512");
        first.Receive.Description.ShouldBe("Fees or interest: Charged too much (Credit card / General-purpose credit card) [Older American, Servicemember]");
        first.Steps.Count.ShouldBe(3, "accepted, assigned, resolved; N/A disputed: no follow-up");
        rows[1].Complaint!.Receive.Description.ShouldNotContain("[");
    }

    [Fact]
    public void quoted_fields_keep_their_commas_doubled_quotes_and_line_breaks_and_rows_keep_the_line_they_start_on()
    {
        var narrative = "They reported a \"late\" payment, twice,\r\nand never answered my letter.";
        var text = PublishedCfpbHeader + "\r\n" + Row("1", narrative) + "\r\n" + Row("2", "two\r\nlines\r\nhere") + "\r\n\r\n" + Row("3");

        var rows = Read(text, out _);

        rows.Select(r => r.Line).ShouldBe([2, 4, 8], "a line break inside a quote and a blank line are counted; the blank line is no row");
        rows[0].Complaint!.Receive.Description.ShouldBe(narrative);
        rows[1].Complaint!.Receive.Description.ShouldBe("two\r\nlines\r\nhere");
    }

    [Fact]
    public void lf_line_ends_a_last_line_without_an_end_and_a_byte_order_mark_read_the_same()
    {
        var text = PublishedCfpbHeader + "\n" + Row("1") + "\n" + Row("2");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var fromFile = ComplaintImporter.Rows(ComplaintImporter.Format("cfpb"), reader).ToList();
        var fromText = Read("\uFEFF" + text, out var file);

        fromFile.Select(r => (r.Line, r.Complaint!.SourceId)).ShouldBe([(2, "1"), (3, "2")]);
        fromText.Select(r => (r.Line, r.Complaint!.SourceId)).ShouldBe([(2, "1"), (3, "2")]);
        file.IgnoredColumns.ShouldBeEmpty("the mark is not part of the first column's name");
    }

    [Fact]
    public void a_quote_never_closed_is_reported_on_the_line_it_opens_instead_of_failing_the_file()
    {
        var rows = Read(PublishedCfpbHeader + "\n" + Row("1") + "\n" + "2024-03-01,Mortgage,,\"a quote that is never closed,x\n" + Row("3") + "\n", out _);

        rows.Count.ShouldBe(2, "the rest of the file is inside the open quote");
        rows[1].Line.ShouldBe(3);
        rows[1].Bad!.Reason.ShouldBe("unreadable CSV");
        rows[1].Bad!.Detail.ShouldContain("never closed");
    }

    [Fact]
    public void a_row_with_more_or_fewer_fields_than_the_header_is_reported_with_its_id()
    {
        var rows = Read(PublishedCfpbHeader + "\n" + Row("1") + ",extra\n" + "2024-03-01,Mortgage\n" + Row("3") + "\n", out _);

        rows.Select(r => (r.Line, r.Bad?.Reason, r.Bad?.SourceId)).ShouldBe(
        [
            (2, "wrong number of fields", "1"),
            (3, "wrong number of fields", null), // no field where the header has the id
            (4, null, null),
        ]);
        rows[0].Bad!.Detail.ShouldBe("19 fields where the header has 18");
    }

    [Fact]
    public void columns_the_format_does_not_know_are_ignored_and_named_once()
    {
        var rows = Read("Branch," + PublishedCfpbHeader + ",Branch,Agent\n" + "Newark," + Row("1") + ",Newark,Ann\n", out var file);

        file.IgnoredColumns.ShouldBe(["Branch", "Agent"]);
        rows.Single().Complaint!.SourceId.ShouldBe("1");
    }

    [Fact]
    public void a_header_without_a_required_column_or_an_empty_file_is_refused_as_a_whole()
    {
        Should.Throw<ImportFailed>(() => Read(PublishedCfpbHeader.Replace(",Complaint ID", "") + "\n", out _)).Message
            .ShouldContain("no column complaint_id");
        Should.Throw<ImportFailed>(() => Read("", out _)).Message.ShouldContain("the file is empty");
    }
}

/// <summary>The column tables of docs/importing.md name exactly the columns each format knows (reads, or leaves out on purpose).</summary>
public sealed class DocumentedImportColumnsTests
{
    [Theory]
    [InlineData("cfpb", "## The CFPB consumer complaint export")]
    [InlineData("nyc311", "## The NYC 311 service-request export")]
    public async Task the_docs_table_of_a_format_names_the_columns_it_knows(string format, string heading)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Support.TestDatabase.RepositoryRoot(), "docs", "importing.md"),
            TestContext.Current.CancellationToken);
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        start.ShouldBeGreaterThan(-1, $"docs/importing.md has no section '{heading}'");
        var end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var rows = text[start..(end < 0 ? text.Length : end)].Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| ---")).Skip(1).ToList();
        var named = (string cells) => System.Text.RegularExpressions.Regex.Matches(cells, "`([^`]+)`").Select(m => SourceRow.Normalise(m.Groups[1].Value));

        var known = ComplaintImporter.Format(format).Columns;
        var firstCells = rows.SelectMany(r => named(r.Split('|')[1])).ToHashSet();
        var anywhere = rows.SelectMany(r => named(r)).ToHashSet();
        firstCells.ShouldBeSubsetOf(known, "a column in the table's first cells that the format does not know");
        known.Where(c => !anywhere.Contains(c)).ShouldBeEmpty("columns the format knows that the table does not name");
    }
}

using System.Text;
using Complaints.Api.Importing;
using Shouldly;

namespace Complaints.Api.Tests.Importing;

/// <summary>The importer's CSV reader (RFC 4180), on the text exports really contain. No database.</summary>
public sealed class CsvRecordsTests
{
    private static List<CsvRecord> Read(string text) => CsvRecords.Read(new StringReader(text)).ToList();

    [Fact]
    public void quoted_fields_keep_their_commas_doubled_quotes_and_line_breaks_and_records_keep_the_line_they_start_on()
    {
        var records = Read("a,b,c\r\n1,\"Navient Solutions, Inc.\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",x\r\n\r\n3,,\r\n");

        records.Select(r => r.Line).ShouldBe([1, 2, 3, 6]);
        records[1].Fields.ShouldBe(["1", "Navient Solutions, Inc.", "say \"hi\""]);
        records[2].Fields.ShouldBe(["2", "two\r\nlines", "x"]);
        records[3].Fields.ShouldBe(["3", "", ""], "empty values are kept, a blank line is skipped");
        records.ShouldAllBe(r => r.Error == null);
    }

    [Fact]
    public void lf_line_ends_a_last_line_without_an_end_and_a_byte_order_mark_read_the_same()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("a,b\n1,2\n3,4")).ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = CsvRecords.Read(reader).ToList();

        records.Select(r => string.Join("|", r.Fields)).ShouldBe(["a|b", "1|2", "3|4"]);
        records.Select(r => r.Line).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void a_quote_never_closed_is_reported_on_its_record_instead_of_failing_the_file()
    {
        var records = Read("a,b\n1,2\n3,\"never closed\n4,5\n");

        records.Count.ShouldBe(3);
        records[2].Line.ShouldBe(3);
        records[2].Error.ShouldNotBeNull().ShouldContain("never closed");
    }

    [Fact]
    public void a_stray_quote_inside_an_unquoted_field_is_kept_as_text()
    {
        Read("12\" pipe,x\n")[0].Fields.ShouldBe(["12\" pipe", "x"]);
    }
}

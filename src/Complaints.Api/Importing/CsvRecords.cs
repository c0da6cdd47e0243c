using System.Text;

namespace Complaints.Api.Importing;

/// <summary>One record of a CSV file: the physical line it starts on (the header is line 1) and its fields.</summary>
public sealed record CsvRecord(int Line, string[] Fields, string? Error = null);

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, quoted fields holding commas, line breaks and doubled quotes,
/// CRLF or LF line ends. It is lenient where exports are sloppy (a stray quote inside an unquoted field is kept as
/// text) and reports what it cannot read (a quote never closed) as a record with an error instead of failing.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;       // inside a quoted field
        var wasQuoted = false;    // the current field began with a quote
        var any = false;          // the current record has any character at all

        while (true)
        {
            var next = reader.Read();
            if (next < 0) break;
            var ch = (char)next;

            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }

            switch (ch)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    any = true;
                    break;
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = wasQuoted = any = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\r' or '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(recordLine, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    wasQuoted = any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray(), "a quoted field is never closed (a quote is missing)");
        }
        else if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}

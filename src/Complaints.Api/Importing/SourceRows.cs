using System.Collections;
using nietras.SeparatedValues;

namespace Complaints.Api.Importing;

/// <summary>
/// An export's rows, read by Sep and mapped by the format, one at a time: nothing of a row is kept once the next is
/// read. The header is read and checked when the rows are opened, so a file that is not the format is refused before
/// anything is imported. Each row carries the line it starts on (the header is line 1); a quote never closed (Sep reads
/// it to the end of the file) is reported as unreadable, a record whose field count differs from the header's as such.
/// </summary>
public sealed class SourceRows : IEnumerable<ImportRow>
{
    public const string UnreadableCsv = "unreadable CSV";
    public const string WrongNumberOfFields = "wrong number of fields";

    private readonly IImportFormat _format;
    private SepReader? _reader;
    private readonly Dictionary<string, int> _columns;
    private readonly int _width;

    /// <summary>Columns of the header the format does not know, as the file names them: ignored, and named once in the summary.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    private SourceRows(IImportFormat format, SepReader reader, Dictionary<string, int> columns, int width, IReadOnlyList<string> ignored)
    {
        _format = format;
        _reader = reader;
        _columns = columns;
        _width = width;
        IgnoredColumns = ignored;
    }

    public static SourceRows Read(IImportFormat format, TextReader text)
    {
        // No header mode: Sep refuses a header that names a column twice, which an export may do (the first one counts).
        var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text, leaveOpen: true);
        try
        {
            if (!reader.MoveNext()) throw new ImportFailed($"the file is empty: a {format.Title} starts with its header");
            var names = Fields(reader.Current);
            var columns = new Dictionary<string, int>();
            for (var i = 0; i < names.Length; i++) columns.TryAdd(SourceRow.Normalise(names[i]), i);
            var missing = format.RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                throw new ImportFailed($"not a {format.Title}: no column {string.Join(", ", missing)} (the header has {string.Join(", ", names)})");
            var known = format.Columns.ToHashSet();
            var ignored = names.Where(n => n.Trim().Length > 0 && !known.Contains(SourceRow.Normalise(n))).Distinct().ToList();
            return new SourceRows(format, reader, columns, names.Length, ignored);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public IEnumerator<ImportRow> GetEnumerator()
    {
        var reader = _reader ?? throw new InvalidOperationException("an export's rows are read once");
        _reader = null;
        using (reader)
            foreach (var record in reader)
            {
                if (record.Span.IsEmpty) continue; // a blank line
                // Sep reads every quote as opening or closing a quoted section: an odd number in a record means the last
                // one was never closed, and the record ran on to the end of the file. Counted before Sep unescapes the fields.
                var unclosed = record.Span.Count('"') % 2 == 1;
                var line = record.LineNumberFrom;
                var fields = Fields(record);
                var row = new SourceRow(line, _columns, fields);
                var sourceId = row[_format.SourceIdColumn];
                if (unclosed)
                    yield return new ImportRow(line, null, new BadRow(line, sourceId, UnreadableCsv, "a quoted field is never closed (a quote is missing)"));
                else if (fields.Length != _width)
                    yield return new ImportRow(line, null, new BadRow(line, sourceId, WrongNumberOfFields,
                        $"{fields.Length} fields where the header has {_width}"));
                else
                {
                    ImportRow mapped;
                    try
                    {
                        mapped = new ImportRow(line, _format.Map(row), null);
                    }
                    catch (RowRejected e)
                    {
                        mapped = new ImportRow(line, null, new BadRow(line, sourceId, e.Reason, e.Message));
                    }
                    yield return mapped;
                }
            }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string[] Fields(SepReader.Row record)
    {
        var fields = new string[record.ColCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = record[i].ToString();
        return fields;
    }
}

using System.Globalization;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// A CFPB export of any length, written as it is read: each line is made when the reader asks for it, so that a file of
/// millions of rows needs no disk and no memory. Row n (from 1, on line <see cref="LineOf"/>) is good, unreadable (its date received is
/// not a date), a repeat of an earlier row's id, or a row whose dates run backwards (stored with a data-quality note), as
/// <see cref="KindOf"/> says; the expected figures are counted from the same rule.
/// </summary>
public sealed class GeneratedCfpbExport(long firstId, int rows, bool repeats = true) : TextReader
{
    public enum Kind { Good, UnreadableDate, Repeat, DatesBackwards }

    /// <summary>The reason an unreadable row is skipped with.</summary>
    public const string UnreadableReason = "unreadable date_received";

    private static readonly DateTime Start = new(2015, 1, 1);
    private static readonly string[] Responses = ["Closed with explanation", "Closed with monetary relief", "Closed with non-monetary relief", "In progress"];
    private static readonly string[] Disputes = ["Yes", "No", "", "N/A"];

    private string _line = SourceRowsTests.PublishedCfpbHeader + "\n";
    private int _at;
    private int _next = 1;

    public Kind KindOf(int n) => (n % 10, n % 100) switch
    {
        (0, _) => Kind.UnreadableDate,
        (_, 37 or 73) when repeats => Kind.Repeat,
        (_, 49) => Kind.DatesBackwards,
        _ => Kind.Good,
    };

    /// <summary>The row whose id a repeat repeats: one in an earlier batch (37), or the row just before it, in the same batch (73).</summary>
    private static int Original(int n) => n % 100 == 37 ? n - 30 : n - 1;

    public string SourceId(int n) => (firstId + (KindOf(n) == Kind.Repeat ? Original(n) : n)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The line row n starts on: every seventh row has a narrative over two lines.</summary>
    public static int LineOf(int n) => n + 1 + (n - 1) / 7;

    public IEnumerable<int> Rows(Kind kind) => Enumerable.Range(1, rows).Where(n => KindOf(n) == kind);

    /// <summary>Whether row n becomes a complaint: a good row, or one whose dates run backwards, as the source dated it.</summary>
    public bool Stored(int n) => KindOf(n) is Kind.Good or Kind.DatesBackwards;

    public IEnumerable<int> StoredRows => Enumerable.Range(1, rows).Where(Stored);

    public IEnumerable<int> SkippedRows => Enumerable.Range(1, rows).Where(n => !Stored(n));

    public IEnumerable<string> StoredIds => StoredRows.Select(SourceId);

    private string Row(int n)
    {
        var received = Start.AddDays(n % 365);
        var kind = KindOf(n);
        var sent = kind == Kind.DatesBackwards ? received.AddDays(-1) : received.AddDays(n % 5);
        return Line(kind == Kind.UnreadableDate ? "someday" : received.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Credit card", "Store credit card", "Fees or interest",
            "Problem with fees", n % 7 == 0 ? $"Row {n}: they charged me twice, \"again\",\nand would not say why." : "",
            "", "Bank " + n % 13, "NJ", "0" + (8500 + n % 100), n % 11 == 0 ? "Older American" : "", "Consent provided",
            "Web", sent.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Responses[n % Responses.Length], n % 3 == 0 ? "No" : "Yes", Disputes[n % Disputes.Length], SourceId(n)) + "\n";
    }

    private bool Fill()
    {
        if (_at < _line.Length) return true;
        if (_next > rows) return false;
        _line = Row(_next++);
        _at = 0;
        return true;
    }

    public override int Peek() => Fill() ? _line[_at] : -1;

    public override int Read() => Fill() ? _line[_at++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length && Fill())
        {
            var take = Math.Min(buffer.Length - written, _line.Length - _at);
            _line.AsSpan(_at, take).CopyTo(buffer[written..]);
            _at += take;
            written += take;
        }
        return written;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Complaints.Domain;

namespace Complaints.Api.Importing;

/// <summary>
/// How one source's export maps onto the lifecycle: each row becomes the complaint as received and the later steps,
/// each a domain command dated from the row, so that imported history passes the same decisions as the API's.
/// </summary>
public interface IImportFormat
{
    /// <summary>The name on the command line and the prefix of the natural key, e.g. "cfpb".</summary>
    string Name { get; }

    /// <summary>What the export is called, for messages: "CFPB consumer complaint export".</summary>
    string Title { get; }

    /// <summary>Columns (normalised, see <see cref="SourceRow.Normalise"/>) without which the file is not this export.</summary>
    IReadOnlyList<string> RequiredColumns { get; }

    /// <summary>
    /// Every column the format knows (normalised): those it reads and those of the published export it leaves out on
    /// purpose (docs/importing.md says why). Any other column of a file is ignored and named in the summary.
    /// </summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>The column holding the row's id in the source, its natural key.</summary>
    string SourceIdColumn { get; }

    /// <summary>The row as a complaint and its steps; throws <see cref="RowRejected"/> for a row that cannot be read.</summary>
    SourceComplaint Map(SourceRow row);
}

/// <summary>A source row mapped: its natural key in the source, the complaint as received, and its later steps in order.</summary>
public sealed record SourceComplaint(string SourceId, ReceiveComplaint Receive, IReadOnlyList<SourceStep> Steps)
{
    /// <summary>The column the receipt's time was read from, and its value as the source wrote it.</summary>
    public IReadOnlyDictionary<string, string?> ReceivedFrom { get; init; } = SourceAnomalyNoted.NoValues;

    /// <summary>What the mapping itself found odd in the row (columns that disagree, values it does not know), noted on the case.</summary>
    public IReadOnlyList<SourceNote> Noted { get; init; } = [];
}

/// <summary>
/// A later step of a source row: the domain command, the column its time was read from with the value as the source
/// wrote it, and any other columns it was read from; a note on the step quotes them.
/// </summary>
public sealed record SourceStep(ComplaintCommand Command, string? TimeColumn = null, string? TimeValue = null)
{
    public IReadOnlyDictionary<string, string?> Values { get; init; } = SourceAnomalyNoted.NoValues;

    /// <summary>The column the step's time came from.</summary>
    public IReadOnlyDictionary<string, string?> When =>
        TimeColumn is null ? SourceAnomalyNoted.NoValues : new Dictionary<string, string?> { [TimeColumn] = TimeValue };

    public static implicit operator SourceStep(ComplaintCommand command) => new(command);
}

/// <summary>An anomaly the mapping sees in a row, with the source's values involved (column → value as written, null when empty).</summary>
public sealed record SourceNote(SourceAnomaly Anomaly, string Detail, IReadOnlyDictionary<string, string?> Values);

/// <summary>A row that was not imported: where it is, and why.</summary>
public sealed record BadRow(int Line, string? SourceId, string Reason, string Detail);

/// <summary>A row the mapping cannot read. Reason is short and shared by rows with the same problem (the summary groups by it).</summary>
public sealed class RowRejected(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}

/// <summary>The file as a whole cannot be imported (empty, or not the format named).</summary>
public sealed class ImportFailed(string message) : Exception(message);

/// <summary>One CSV record with its header, read by column name.</summary>
public sealed class SourceRow(int line, IReadOnlyDictionary<string, int> columns, string[] fields)
{
    public int Line { get; } = line;

    /// <summary>The trimmed value of the first of the columns present, or null when it is absent or blank.</summary>
    public string? this[params string[] names]
    {
        get
        {
            foreach (var name in names)
                if (columns.TryGetValue(name, out var index))
                    return index < fields.Length && !string.IsNullOrWhiteSpace(fields[index]) ? fields[index].Trim() : null;
            return null;
        }
    }

    public string Required(params string[] names) =>
        this[names] ?? throw new RowRejected($"missing {names[0]}", $"{names[0]} is empty");

    /// <summary>
    /// The value a case needs but a row may lack: when it is empty, the stand-in, with a note that says so. Only the
    /// source's id and its first date make a row unreadable; anything else missing is recorded as missing.
    /// </summary>
    public string Needed(List<SourceNote> noted, string column, string name, string standIn)
    {
        if (this[column] is { } value) return value;
        noted.Add(new SourceNote(SourceAnomaly.MissingValue, $"{name} is empty; recorded as '{standIn}'", new Dictionary<string, string?> { [name] = null }));
        return standIn;
    }

    /// <summary>"Date received", "date_received" and "Consumer disputed?" become date_received and consumer_disputed.</summary>
    public static string Normalise(string header)
    {
        var text = new StringBuilder();
        foreach (var ch in header.Trim().ToLowerInvariant())
            if (char.IsLetterOrDigit(ch)) text.Append(ch);
            else if (text.Length > 0 && text[^1] != '_') text.Append('_');
        return text.ToString().TrimEnd('_');
    }
}

/// <summary>The dates and times exports write, read as the instant they name.</summary>
public static class SourceTime
{
    private static readonly string[] Formats =
    [
        "M/d/yyyy", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm",
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss",
    ];

    /// <summary>A time without an offset is read in the source's zone; one with an offset (ISO 8601) as it says.</summary>
    public static DateTimeOffset Parse(string column, string text, TimeZoneInfo zone)
    {
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            // A time skipped by a daylight-saving change (02:30 on the spring-forward night) is taken an hour later.
            if (zone.IsInvalidTime(local)) local = local.AddHours(1);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var given))
            return given.ToUniversalTime();
        throw new RowRejected($"unreadable {column}",
            $"{column} '{text}' is not a date (M/D/YYYY, M/D/YYYY h:mm:ss AM/PM or YYYY-MM-DD)");
    }

    /// <summary>A date the row may leave empty; one that cannot be read is taken as not given, and noted.</summary>
    public static DateTimeOffset? Optional(SourceRow row, string column, string name, TimeZoneInfo zone, List<SourceNote> noted)
    {
        if (row[column] is not { } text) return null;
        try
        {
            return Parse(name, text, zone);
        }
        catch (RowRejected e)
        {
            noted.Add(new SourceNote(SourceAnomaly.UnreadableValue, e.Message + "; taken as not given",
                new Dictionary<string, string?> { [name] = text }));
            return null;
        }
    }

    /// <summary>The zone by its IANA name; UTC when the machine has no time-zone data.</summary>
    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>
/// The natural key of an imported complaint: its stream id is derived from the source's name and the row's id in
/// the source (a name-based UUID, version 5), so importing the same row again finds the stream already there.
/// </summary>
public static class SourceKeys
{
    private static readonly Guid Namespace = new("6f1b7c0e-3b5a-4f57-9a0e-2c6d1f0e8a41");

    public static Guid StreamId(string source, string sourceId)
    {
        var name = Encoding.UTF8.GetBytes(source + ":" + sourceId);
        var space = Namespace.ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. space, .. name]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

namespace Complaints.Domain;

/// <summary>
/// How history brought from another system breaks a rule that holds for live commands, or disagrees with itself. Such
/// history is recorded as the source says and the anomaly is noted on the case; it is never dropped. The names are the
/// stable codes analysts and import reports count by.
/// </summary>
public enum SourceAnomaly
{
    /// <summary>A step dated before the step recorded before it (a closing before the opening, say).</summary>
    StepsOutOfOrder,

    /// <summary>A step dated after the moment it was recorded; it is recorded as happening then.</summary>
    DatedInTheFuture,

    /// <summary>An assignment's due date that is not after the assignment.</summary>
    DueNotAfterAssignment,

    /// <summary>Two of the source's columns say different things (a status that is not closed beside a closed date).</summary>
    ColumnsDisagree,

    /// <summary>A value the mapping does not know (a channel, a response); the documented fallback stands in for it.</summary>
    UnknownValue,

    /// <summary>A value that is not what its column holds (not a date, not Yes or No); it is taken as not given.</summary>
    UnreadableValue,

    /// <summary>A value the case needs is empty (the company, the agency); the documented stand-in is recorded.</summary>
    MissingValue,
}

/// <summary>
/// A data-quality note on a case: its history, brought from another system, breaks a rule for live commands or disagrees
/// with itself (<see cref="SourceAnomaly"/>). The steps stay as the source recorded them; this says what is odd about them,
/// with the source's own values (column → value as the source wrote it). At is when the note was made (the import), so it
/// never moves the case's own history; By is the importer.
/// </summary>
public sealed record SourceAnomalyNoted(
    SourceAnomaly Anomaly,
    string Detail,
    IReadOnlyDictionary<string, string?> SourceValues,
    DateTimeOffset At,
    string By) : IComplaintEvent
{
    public static readonly IReadOnlyDictionary<string, string?> NoValues = new Dictionary<string, string?>();

    /// <summary>Same anomaly, same source values: the same note, whichever step found it.</summary>
    public bool SameAs(SourceAnomalyNoted other) =>
        Anomaly == other.Anomaly && SourceValues.Count == other.SourceValues.Count
        && SourceValues.All(v => other.SourceValues.TryGetValue(v.Key, out var value) && value == v.Value);
}

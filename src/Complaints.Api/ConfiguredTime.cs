using System.Globalization;

namespace Complaints.Api;

/// <summary>Times in configuration are TimeSpans ("00:03:00", "15.00:00:00"); a value that is not one stops the start.</summary>
public static class ConfiguredTime
{
    /// <summary>The time at <paramref name="key"/> of the section, or <paramref name="fallback"/> when it is not set.</summary>
    public static TimeSpan Read(IConfiguration section, string key, TimeSpan fallback, string path, bool zeroAllowed = false) =>
        section[key] is { Length: > 0 } text ? Parse(text, $"{path}:{key}", zeroAllowed) : fallback;

    public static TimeSpan Parse(string? text, string path, bool zeroAllowed = false) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var time) && (time > TimeSpan.Zero || zeroAllowed && time == TimeSpan.Zero)
            ? time
            : throw new InvalidOperationException($"{path} is '{text}'; give a time{(zeroAllowed ? "" : " above zero")} such as 00:03:00 or 15.00:00:00");
}

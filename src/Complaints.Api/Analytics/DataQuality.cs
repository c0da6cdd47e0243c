using Complaints.Api.Http;
using Complaints.Projections.Analytics;

namespace Complaints.Api.Analytics;

/// <summary>
/// Which cases a figure counts, by the data-quality notes on history brought from another system
/// (analytics.complaint_cases.source_anomalies): all of them (the default), the clean ones (no note) or the noted ones.
/// </summary>
public enum DataQuality { All, Clean, Noted }

public static class DataQualityFilter
{
    public const string Parameter = "quality";

    public static DataQuality Parse(string? quality) => (quality ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "all" => DataQuality.All,
        "clean" => DataQuality.Clean,
        "noted" => DataQuality.Noted,
        _ => throw new BadRequest($"{Parameter} takes all, clean or noted; not '{quality}'."),
    };

    /// <summary>The SQL condition on a row of analytics.complaint_cases (under the alias given, if any).</summary>
    public static string OnCase(this DataQuality quality, string? alias = null)
    {
        var column = (alias is null ? "" : alias + ".") + "source_anomalies";
        return quality switch
        {
            DataQuality.Clean => $"{column} = 0",
            DataQuality.Noted => $"{column} > 0",
            _ => "true",
        };
    }

    /// <summary>The SQL condition on a row of another table, by the qualified column holding its complaint's id.</summary>
    public static string OfComplaint(this DataQuality quality, string complaintId) => quality == DataQuality.All
        ? "true"
        : $"exists (select 1 from {AnalyticsTables.Cases} quality where quality.complaint_id = {complaintId} and {quality.OnCase("quality")})";
}

using System.Globalization;
using System.Text.RegularExpressions;
using Alba;

namespace Complaints.Api.Tests.Support;

/// <summary>The Prometheus text of /metrics, read as a scraper reads it.</summary>
public sealed partial class Scrape(string text)
{
    public string Text => text;

    /// <summary>Reads /metrics with the given request headers (an administrator's token unless told otherwise).</summary>
    public static async Task<Scrape> Of(IAlbaHost host, params (string Name, string Value)[] headers)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url("/metrics");
            foreach (var (name, value) in headers.Length > 0 ? headers : [(ApiFixture.UserHeader, "admin.metrics")]) s.WithRequestHeader(name, value);
            s.StatusCodeShouldBeOk();
        });
        return new Scrape(await result.ReadAsTextAsync());
    }

    /// <summary>The label of the API's own metrics that names the database the host works on.</summary>
    public static (string, string) Of(string connectionString) =>
        ("otel_scope_database", new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!);

    /// <summary>
    /// The sum of the samples of a metric whose labels include all those given; 0 when there is none. Several hosts in one
    /// process (as in the tests) each export under the same names: a figure of one host is told apart by its database.
    /// </summary>
    public double Value(string metric, params (string Label, string Value)[] labels) =>
        Sample().Matches(text)
            .Where(m => m.Groups["name"].Value == metric)
            .Where(m => labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"")))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

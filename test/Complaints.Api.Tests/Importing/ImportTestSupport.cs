using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Complaints.Api.Analytics;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Complaints.Domain;
using Marten.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// What the import tests share: the importer over the test host's store, SQL over the analytics tables, CSV written
/// by the tests and read back independently of the importer, and the percentiles PostgreSQL's percentile_cont gives.
/// </summary>
public static class ImportTestSupport
{
    public static ComplaintImporter Importer(ApiFixture fixture, int batchSize = ComplaintImporter.DefaultBatchSize) => new(
        fixture.Store, fixture.Host.Services.GetRequiredService<ComplaintPolicies>(), TimeProvider.System) { BatchSize = batchSize };

    /// <summary>Rows of a query over the analytics tables (the API's own plain-SQL access, nothing of the projections').</summary>
    public static Task<List<Dictionary<string, object?>>> Sql(ApiFixture fixture, string sql, params (string, object?)[] parameters) =>
        fixture.Host.Services.GetRequiredService<AnalyticsDatabase>().Rows(sql, parameters, CancellationToken.None);

    public static async Task<long> Count(ApiFixture fixture, string sql, params (string, object?)[] parameters) =>
        Convert.ToInt64((await Sql(fixture, sql, parameters)).Single().Values.Single());

    /// <summary>The stream ids the rows were imported under: the natural keys.</summary>
    public static Guid[] Ids(string source, IEnumerable<string> sourceIds) => sourceIds.Select(id => SourceKeys.StreamId(source, id)).ToArray();

    /// <summary>Waits until the async daemon has projected everything appended so far.</summary>
    public static Task Projected(ApiFixture fixture) => fixture.Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));

    /// <summary>An analytics answer, as an analyst reads it.</summary>
    public static async Task<JsonNode> Get(ApiFixture fixture, string url) => await Auditing.AuditSql.GetJson(fixture, "analyst.import", url);

    /// <summary>A field as a CSV writer quotes it.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public static string Line(params string[] fields) => string.Join(",", fields.Select(Field));

    /// <summary>
    /// A CSV file as a list of entries (a header, then rows or raw broken text), each with the line it starts on,
    /// counted the way an editor shows them.
    /// </summary>
    public sealed class CsvFile(string header, string newline = "\n")
    {
        private readonly StringBuilder _text = new(header + newline);
        private int _line = 2;

        public int Add(string entry)
        {
            var line = _line;
            _text.Append(entry).Append(newline);
            _line += 1 + entry.Count(c => c == '\n');
            return line;
        }

        /// <summary>The last entry without a line end, as a file cut short would have it.</summary>
        public int AddLast(string entry)
        {
            var line = _line;
            _text.Append(entry);
            return line;
        }

        public string Text => _text.ToString();
    }

    /// <summary>A plain CSV split, written apart from the importer's reader, for reading the public samples in the tests.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var text = File.ReadAllText(path);
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') inQuotes = false;
                else field.Append(c);
            }
            else if (c == '"') inQuotes = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(record);
                record = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        var header = records[0];
        return records.Skip(1).Where(r => r.Count > 1)
            .Select(r => header.Select((h, i) => (h, v: i < r.Count ? r[i] : "")).ToDictionary(x => x.h, x => x.v)).ToList();
    }

    /// <summary>PostgreSQL's percentile_cont: linear interpolation between the closest ranks.</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    public static double Round4(double value) => Math.Round(value, 4);

    /// <summary>A console that writes to a string, as a redirected terminal would.</summary>
    public static (IAnsiConsole Console, StringWriter Output) CapturedConsole()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        return (console, output);
    }

    /// <summary>The test host handed to a JasperFx command as its host builder, as Program.cs hands it the application.</summary>
    public sealed class ExistingHost(IHost host) : IHostBuilder
    {
        public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();
        public IHost Build() => host;
        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => this;
        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => this;
        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => this;
        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate) => this;
        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory) where TContainerBuilder : notnull => this;
        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => this;
    }
}

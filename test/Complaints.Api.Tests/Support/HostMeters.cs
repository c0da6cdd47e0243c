using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// The meters of one test host, each tagged with the host's name. The metrics SDK merges the instruments of every meter
/// of the same name and tags in the process into one stream, and ends that stream when any of them is disposed: without
/// the tag, another host stopping (as the test hosts of other classes do all through the run) would take the ASP.NET Core
/// metrics out of this host's scrape.
/// </summary>
public sealed class HostMeters(string host) : IMeterFactory
{
    public const string Tag = "test_host";

    private readonly ConcurrentDictionary<string, Meter> _meters = new();

    public Meter Create(MeterOptions options)
    {
        var tags = (options.Tags ?? []).Append(new(Tag, host)).ToArray();
        var key = $"{options.Name}|{options.Version}|{string.Join(',', tags.Select(t => $"{t.Key}={t.Value}").Order())}";
        return _meters.GetOrAdd(key, _ => new Meter(new MeterOptions(options.Name)
        {
            Version = options.Version, Tags = tags, Scope = this, TelemetrySchemaUrl = options.TelemetrySchemaUrl,
        }));
    }

    public void Dispose()
    {
        foreach (var meter in _meters.Values) meter.Dispose();
        _meters.Clear();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Complaints.Bench;

/// <summary>A command the API has committed: when its answer arrived, and what the analytics should come to show.</summary>
public readonly record struct Committed(Guid Id, bool Created, DateTimeOffset? LastStepAt, long AnsweredAt);

/// <summary>The workload's commands over HTTP, as a client of the API would send them, with a bearer token.</summary>
public sealed class HttpCommands(HttpClient client, Workload workload)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private int _reported;

    /// <summary>Called for each committed lifecycle command (not the hot ones), e.g. to measure projection lag.</summary>
    public Action<Committed>? OnCommitted { get; set; }

    /// <summary>The first few unexpected answers, for the report.</summary>
    public List<string> Errors { get; } = [];

    public async Task<Outcome> Next()
    {
        var command = workload.Next();
        var (outcome, id, version) = await Execute(command);
        workload.Completed(command, outcome, id, version);
        return outcome;
    }

    public async Task<(Outcome Outcome, Guid? Id, long? Version)> Execute(PlannedCommand command)
    {
        var url = command.Kind == CommandKind.Receive ? "/api/complaints" : $"/api/complaints/{command.Id}/{command.Action}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(command.Body, command.Body.GetType(), Json), Encoding.UTF8, "application/json"),
        };
        if (command.ExpectedVersion is { } expected) request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{expected}\""));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var answeredAt = Stopwatch.GetTimestamp();

        switch (response.StatusCode)
        {
            case HttpStatusCode.Created:
            {
                using var json = JsonDocument.Parse(body);
                var id = json.RootElement.GetProperty("id").GetGuid();
                OnCommitted?.Invoke(new Committed(id, true, null, answeredAt));
                return (Outcome.Ok, id, 1);
            }
            case HttpStatusCode.OK:
            {
                using var json = JsonDocument.Parse(body);
                var version = json.RootElement.GetProperty("version").GetInt64();
                if (command.Kind == CommandKind.Step)
                    OnCommitted?.Invoke(new Committed(command.Id!.Value, false, json.RootElement.GetProperty("lastStepAt").GetDateTimeOffset(), answeredAt));
                return (Outcome.Ok, null, version);
            }
            case HttpStatusCode.PreconditionFailed:
                return (Outcome.Conflict, null, null);
            default:
                if (Interlocked.Increment(ref _reported) <= 5)
                {
                    var text = Encoding.UTF8.GetString(body);
                    lock (Errors) Errors.Add($"{(int)response.StatusCode} {command.Action}: {text[..Math.Min(300, text.Length)]}");
                }
                return (Outcome.Failed, null, null);
        }
    }
}

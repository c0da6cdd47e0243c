using Complaints.Api.Http;

namespace Complaints.Api.ApiReference;

/// <summary>
/// An error an endpoint answers, as RFC 9457 problem details, and when. The API reference lists it for the endpoint; the
/// answers every endpoint may give (no token, a role that does not do the work, a database out of connections) are
/// added for all of them by <see cref="OperationDescription"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemAnswerAttribute(int status, string when) : Attribute
{
    public int Status { get; } = status;
    public string When { get; } = when;

    /// <summary>The problem lists what is wrong by field (<c>errors</c>), as a command's validation does.</summary>
    public bool WithFieldErrors { get; init; }
}

/// <summary>The endpoint also answers with this status as text in these media types (a report as CSV or a page, say).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlsoAnswersAsAttribute(int status, params string[] mediaTypes) : Attribute
{
    public int Status { get; } = status;
    public IReadOnlyList<string> MediaTypes { get; } = mediaTypes;
}

/// <summary>
/// A request body other than a command of the catalog, described as a command's is: a field without a default is required
/// (the endpoint answers 400 without it, though it binds as nullable so that the refusal says what is missing).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequestBodyAttribute : Attribute;

/// <summary>
/// A query value the endpoint reads as this type: it binds as text and is parsed by the endpoint, so that a value that
/// does not parse is refused with a 400 that says why rather than ignored.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ReadAsAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

/// <summary>A request header the endpoint reads (described once in <see cref="ApiHeaders.Read"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReadsHeaderAttribute(string header) : Attribute
{
    public string Header { get; } = header;
}

/// <summary>A response header the endpoint sends with an answer of the given status (described once in <see cref="ApiHeaders.Sent"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SendsHeaderAttribute(int status, string header) : Attribute
{
    public int Status { get; } = status;
    public string Header { get; } = header;
}

/// <summary>The headers of the API's conventions, each described once; the OpenAPI document refers to them by name.</summary>
public static class ApiHeaders
{
    // The standard headers by name, for use in attributes.
    public const string ETag = "ETag";
    public const string IfMatch = "If-Match";
    public const string IfNoneMatch = "If-None-Match";
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";
    public const string Age = "Age";
    public const string CacheControl = "Cache-Control";

    public enum Kind { Text, Integer, Boolean }

    public sealed record Header(string Description, Kind Kind = Kind.Text, int? MaxLength = null);

    /// <summary>Request headers.</summary>
    public static readonly IReadOnlyDictionary<string, Header> Read = new Dictionary<string, Header>
    {
        [IfMatch] = new("The version the command expects the complaint to be at, as its `ETag` was sent: `\"7\"`. " +
                                    "Checked under the stream's lock before anything is recorded; a version that is no longer current answers 412. " +
                                    "Without it, concurrent commands on one complaint apply in turn."),
        [IfNoneMatch] = new("The `ETag` of the details the caller holds: when it is still current, the answer is 304 without a body."),
        [ComplaintCommandHandling.IdempotencyKeyHeader] = new(
            "A key of the caller's choosing for this request. A retry with the same key gets the first answer again, marked " +
            "`Idempotent-Replayed: true`, and records nothing; the same key on a different request is 422. Keys are scoped to the caller.",
            MaxLength: Commanding.CommandReceipt.MaxKeyLength),
        [RequestCausation.CorrelationHeader] = new(
            "Ties the calls of one piece of work together: recorded on every event the request causes and echoed in the answer. " +
            "Without it, the W3C trace id or the request's id is used.", MaxLength: RequestCausation.MaxLength),
    };

    /// <summary>Response headers.</summary>
    public static readonly IReadOnlyDictionary<string, Header> Sent = new Dictionary<string, Header>
    {
        [ETag] = new("The complaint's version, quoted (`\"7\"`): send it back as `If-Match` to act only on this version."),
        [Location] = new("Where the new complaint is: `/api/complaints/{id}`."),
        [ComplaintCommandHandling.ReplayedHeader] = new("`true` on the answer to a retry with an `Idempotency-Key` already used: this is " +
                                                        "the answer the first request got, and nothing new was recorded.", Kind.Boolean),
        [RetryAfter] = new("Seconds to wait before trying again.", Kind.Integer),
        [RequestCausation.CorrelationHeader] = new("The correlation id recorded on the events this request caused: the caller's own, or the one given to it."),
        [Age] = new("Seconds since this answer was computed, when it is a kept answer (analytics are kept a few seconds).", Kind.Integer),
        [CacheControl] = new("`no-store` on an answer that shows an access code: no cache, proxy or browser is to keep it."),
    };
}

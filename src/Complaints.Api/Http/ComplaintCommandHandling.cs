using Complaints.Api.Commanding;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Marten;
using Wolverine;

namespace Complaints.Api.Http;

/// <summary>
/// The HTTP side of a command: who asks (the token), whether it repeats an earlier request (Idempotency-Key), which
/// version it expects (If-Match); the answer is the case as the command left it, with its version as the ETag.
/// </summary>
public sealed class ComplaintCommandHandling(ComplaintCommands commands)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set on the answer to a repeat: this is the answer the first request got, and nothing new was recorded.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task<IResult> Execute(Guid id, ComplaintCommand command, HttpContext http, IDocumentSession session, IMessageBus bus)
    {
        ComplaintHttp.RequireBody(command);
        var origin = Origin(http, command.Action(), id, command);
        var outcome = await commands.Execute(id, command, origin, ComplaintHttp.ExpectedVersion(http.Request), session, bus, http.RequestAborted);
        return ComplaintHttp.Details(http, await DetailsAfter(session, outcome, http));
    }

    /// <summary>The case as the command left it: for a repeat, as it was right after the first request.</summary>
    public static async Task<ComplaintDetails> DetailsAfter(IQuerySession session, CommandOutcome outcome, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (!outcome.Repeated)
            return await session.LoadAsync<ComplaintDetails>(outcome.ComplaintId, ct)
                ?? throw new InvalidOperationException($"complaint {outcome.ComplaintId} has events but no details");
        http.Response.Headers[ReplayedHeader] = "true";
        return await session.Events.AggregateStreamAsync<ComplaintDetails>(outcome.ComplaintId, version: outcome.Version, token: ct)
            ?? throw new InvalidOperationException($"complaint {outcome.ComplaintId} has a receipt but no events");
    }

    /// <param name="keyed">Whether the command reads an Idempotency-Key (one whose answer cannot be given again does not).</param>
    public static CommandOrigin Origin(HttpContext http, string action, Guid? id, object command, bool keyed = true)
    {
        var policy = CommandCatalog.Declared(action).Policy;
        var user = ComplaintHttp.ActingUser(http);
        var correlation = RequestCausation.CorrelationId(http);
        http.Response.Headers[RequestCausation.CorrelationHeader] = correlation;
        var key = keyed ? IdempotencyKey(http, user) : null;
        // Serialising the command for its fingerprint is only needed to tell repeats of a keyed request apart.
        return new CommandOrigin(user, key, key is null ? "" : CommandReceipt.FingerprintOf(action, id, command), correlation, http.TraceIdentifier,
            MayBackdate: http.User.IsInRole(Identity.Roles.Service), As: Identity.ActingRoles.Of(http.User, policy));
    }

    /// <summary>Keys are the caller's own: the same key from two users names two requests.</summary>
    private static string? IdempotencyKey(HttpContext http, string user)
    {
        var key = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length == 0) return null;
        if (key.Length > CommandReceipt.MaxKeyLength)
            throw new BadRequest($"The {IdempotencyKeyHeader} header is longer than {CommandReceipt.MaxKeyLength} characters.");
        return $"http:{user}:{key}";
    }
}

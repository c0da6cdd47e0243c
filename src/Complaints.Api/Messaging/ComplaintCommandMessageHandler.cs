using System.Security.Claims;
using System.Text.Json;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Api.Identity;
using Complaints.Contracts.V1;
using Complaints.Domain;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Complaints.Api.Messaging;

/// <summary>
/// Commands from other services on the complaints-commands queue: read exactly as the HTTP body of the same command,
/// given by the sender its token proves, under the same role table, decided by the same code, recorded once per message id.
/// A command that cannot be taken (no valid token, a role that does not do the work, invalid, refused, a stale version, a
/// reused message id) goes to the dead letters with its reason, since retrying cannot change the answer; a clash with a
/// concurrent writer is retried, and so, for a while and out of the queue's way, is a complaint not found yet. The queue
/// is read one message at a time, so that commands are decided in the order they were sent. A message id is the sender's
/// own: two services may number their messages alike, and neither can use the other's.
/// </summary>
public static class ComplaintCommandMessageHandler
{
    public static void Configure(HandlerChain chain)
    {
        // A complaint not found may be one whose receive, sent by another service, has not arrived yet: the command is
        // tried again after 1, 5 and 30 s, put back on the queue meanwhile, so that the commands behind it go on.
        chain.OnException<ComplaintNotFound>().ScheduleRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.MoveToErrorQueue();
        chain.OnException<ComplaintCommandInvalid>().Or<ComplaintCommandRefused>().Or<ComplaintCommandForbidden>().Or<StaleVersion>()
            .Or<IdempotencyKeyReused>()
            .MoveToErrorQueue();
        chain.OnException<ConcurrencyException>().RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));
    }

    public static async Task Handle(ComplaintCommandMessage message, Envelope envelope, IDocumentSession session, IMessageBus bus,
        ComplaintCommands commands, QueueSenders senders, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var sender = await senders.Authenticate(message.Token);
        var by = QueueSenders.Actor(sender, message.By);
        var action = message.Action?.Trim().ToLowerInvariant() ?? "";
        var declaration = action == CommandCatalog.Receive.Action ? CommandCatalog.Receive
            : CommandCatalog.Find(action)
              ?? throw Invalid("action", $"'{message.Action}' is not a command; use one of {string.Join(", ", CommandCatalog.Actions)}");
        var acting = QueueSenders.Acting(sender, action, declaration.Policy);
        var messageId = string.IsNullOrWhiteSpace(message.MessageId) ? envelope.Id.ToString() : message.MessageId.Trim();
        if (messageId.Length > CommandReceipt.MaxKeyLength) throw Invalid("messageId", $"is longer than {CommandReceipt.MaxKeyLength} characters");

        if (declaration == CommandCatalog.Receive)
        {
            var receive = Read<ReceiveComplaint>(message.Command, json.Value.SerializerOptions);
            // No access code: the queue has no answer to show it in (POST /api/complaints/{id}/access-code issues one).
            await commands.Receive(receive, message.ComplaintId, null, Origin(action, message, envelope, sender, by, acting, messageId, receive),
                session, bus, ct);
            return;
        }

        if (message.ComplaintId is not { } id) throw Invalid("complaintId", "is required for every command but receive");
        // No complaint has it, nor ever will: no use trying again.
        if (id == Guid.Empty) throw Invalid("complaintId", "must not be the all-zero id");
        var command = (ComplaintCommand)Read(message.Command, declaration.Command, json.Value.SerializerOptions);
        var origin = Origin(action, message, envelope, sender, by, acting, messageId, command);
        await commands.Execute(id, command, origin, message.ExpectedVersion, session, bus, ct);
    }

    /// <summary>Message ids are scoped by the token's subject, so no sender can take another's id first.</summary>
    private static CommandOrigin Origin(string action, ComplaintCommandMessage message, Envelope envelope, ClaimsPrincipal sender, string by,
        Acting acting, string messageId, object command) =>
        new(by, $"message:{sender.ActingUser()}:{messageId}", CommandReceipt.FingerprintOf(action, message.ComplaintId, command),
            envelope.CorrelationId ?? envelope.Id.ToString(), envelope.Id.ToString(),
            // As over HTTP: only a trusted service enters earlier history.
            MayBackdate: sender.IsInRole(Roles.Service), As: acting);

    private static T Read<T>(JsonElement body, JsonSerializerOptions options) => (T)Read(body, typeof(T), options);

    private static object Read(JsonElement body, Type type, JsonSerializerOptions options)
    {
        if (body.ValueKind != JsonValueKind.Object) throw Invalid("command", "must be a JSON object with the command's fields, as the HTTP body");
        try
        {
            return body.Deserialize(type, options) ?? throw Invalid("command", "must be a JSON object with the command's fields");
        }
        catch (JsonException e)
        {
            throw Invalid(e.Path is { Length: > 2 } path ? "command." + path[2..] : "command", e.Message);
        }
    }

    private static ComplaintCommandInvalid Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

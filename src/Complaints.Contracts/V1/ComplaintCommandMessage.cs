using System.Text.Json;

namespace Complaints.Contracts.V1;

/// <summary>
/// A command sent by another service on the complaints-commands queue instead of over HTTP. It is decided by the same
/// code as the HTTP command and recorded once per message id, however often it is delivered.
/// </summary>
/// <param name="Action">The command, named as in its HTTP route: receive, accept, triage, assign, resolve, follow-up, urge, …</param>
/// <param name="ComplaintId">The case; for receive, the id the new case is to have (one is made up when omitted).</param>
/// <param name="Command">The command's fields, exactly as the HTTP request's body.</param>
/// <param name="By">Who acts, recorded on the events: the token's subject, or a person acting through it written as
/// subject/person (crm/agent.li); the token's subject when omitted.</param>
/// <param name="ExpectedVersion">As If-Match: refuse unless the case is still at this version.</param>
/// <param name="MessageId">The sender's id for this command; the transport's message id when omitted. The same id is
/// recorded once per token subject.</param>
/// <param name="Token">The sender's bearer token, as on HTTP: its subject is the sender and its roles say which commands
/// it may give, by the same role table. Without a valid one the command goes to the dead letters.</param>
public sealed record ComplaintCommandMessage(
    string Action,
    Guid? ComplaintId,
    JsonElement Command,
    string? By,
    long? ExpectedVersion = null,
    string? MessageId = null,
    string? Token = null);

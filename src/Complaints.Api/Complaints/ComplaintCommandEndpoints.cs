using System.Linq.Expressions;
using System.Reflection;
using Complaints.Api.ApiReference;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Api.Tracking;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace Complaints.Api.Complaints;

/// <summary>What the complainant is told: the case's id, its tracking number and version, and the access code for their own lookup.</summary>
/// <param name="AccessCode">
/// The code the complainant gives with the tracking number to look the case up (16 characters in groups of four, such as
/// <c>7KQ4-M2XD-9PWA-H3TZ</c>). Shown in this answer only: it is never recorded, and cannot be shown again. Null on a
/// retry under an `Idempotency-Key` already used; a new one is then issued with `POST /api/complaints/{id}/access-code`.
/// </param>
public sealed record ComplaintAcknowledgement(Guid Id, string TrackingNumber, long Version, string? AccessCode);

/// <summary>
/// The HTTP endpoints of every command, made from its declaration in <see cref="CommandCatalog"/>: the route, the policy,
/// the name and the description come from there, so that a new command is one line in the catalog. What every command
/// reads and answers is described here, once.
/// </summary>
public static class ComplaintCommandEndpoints
{
    public static void MapComplaintCommands(this IEndpointRouteBuilder app)
    {
        Describe(app.MapPost("/api/complaints", Receive), CommandCatalog.Receive)
            .Produces<ComplaintAcknowledgement>(StatusCodes.Status201Created)
            .WithMetadata(new SendsHeaderAttribute(StatusCodes.Status201Created, ApiHeaders.Location),
                new SendsHeaderAttribute(StatusCodes.Status201Created, ComplaintCommandHandling.ReplayedHeader),
                new SendsHeaderAttribute(StatusCodes.Status201Created, RequestCausation.CorrelationHeader),
                new SendsHeaderAttribute(StatusCodes.Status201Created, ApiHeaders.CacheControl));

        Describe(app.MapPost($"/api/complaints/{{id:guid}}/{CommandCatalog.IssueAccessCode.Action}", IssueAccessCode), CommandCatalog.IssueAccessCode,
                keyed: false)
            .Produces<ComplaintAcknowledgement>()
            .WithMetadata(
                new SendsHeaderAttribute(StatusCodes.Status200OK, RequestCausation.CorrelationHeader),
                new SendsHeaderAttribute(StatusCodes.Status200OK, ApiHeaders.CacheControl),
                new ProblemAnswerAttribute(StatusCodes.Status404NotFound, "There is no complaint with this id."),
                new ProblemAnswerAttribute(StatusCodes.Status409Conflict,
                    "The complainant's personal data was erased (`rule`: `complainant-erased`): nobody can be confirmed as the " +
                    "complainant to be given a code; or another change to the complaint happened at the same time (retry)."));

        var execute = typeof(ComplaintCommandEndpoints).GetMethod(nameof(Execute), BindingFlags.Public | BindingFlags.Static)!;
        foreach (var declared in CommandCatalog.OnComplaint)
        {
            var handler = execute.MakeGenericMethod(declared.Command);
            var signature = Expression.GetDelegateType([.. handler.GetParameters().Select(p => p.ParameterType), handler.ReturnType]);
            Describe(app.MapPost($"/api/complaints/{{id:guid}}/{declared.Action}", handler.CreateDelegate(signature)), declared)
                .Produces<ComplaintDetails>()
                .WithMetadata(
                    new ReadsHeaderAttribute(ApiHeaders.IfMatch),
                    new SendsHeaderAttribute(StatusCodes.Status200OK, ApiHeaders.ETag),
                    new SendsHeaderAttribute(StatusCodes.Status200OK, ComplaintCommandHandling.ReplayedHeader),
                    new SendsHeaderAttribute(StatusCodes.Status200OK, RequestCausation.CorrelationHeader),
                    new ProblemAnswerAttribute(StatusCodes.Status404NotFound, "There is no complaint with this id."),
                    new ProblemAnswerAttribute(StatusCodes.Status409Conflict,
                        "The complaint's state does not allow this command: `detail` names the state and the rule, `rule` gives it as a " +
                        "code (`{command}-not-allowed-when-{status}`); or another change to the complaint happened at the same time (retry)."),
                    new ProblemAnswerAttribute(StatusCodes.Status412PreconditionFailed,
                        "`If-Match` names a version that is no longer current; `currentVersion` says which is. Nothing was recorded."));
        }
    }

    /// <summary>The commands that belong with another capability than the steps of a complaint's life.</summary>
    private static readonly Dictionary<Type, string> ShownWith = new()
    {
        [typeof(ReReviewComplaint)] = Capabilities.ReReviews,
        [typeof(ErasePersonalData)] = Capabilities.Audit,
        [typeof(IssueAccessCode)] = Capabilities.Tracking,
    };

    /// <param name="keyed">Whether the command reads an Idempotency-Key: one whose answer cannot be given again does not.</param>
    private static RouteHandlerBuilder Describe(RouteHandlerBuilder endpoint, CommandDeclaration declared, bool keyed = true)
    {
        endpoint
            .RequireAuthorization(declared.Policy)
            .WithName(declared.Command.Name)
            .WithSummary(declared.Summary)
            .WithDescription(declared.Description)
            .WithTags(ShownWith.GetValueOrDefault(declared.Command, Capabilities.Complaints))
            .WithMetadata(declared,
                new ReadsHeaderAttribute(RequestCausation.CorrelationHeader),
                new ProblemAnswerAttribute(StatusCodes.Status400BadRequest,
                    "The command is not valid (`errors` by field), or its body or a header cannot be read.") { WithFieldErrors = true });
        return keyed
            ? endpoint.WithMetadata(new ReadsHeaderAttribute(ComplaintCommandHandling.IdempotencyKeyHeader),
                new ProblemAnswerAttribute(StatusCodes.Status422UnprocessableEntity,
                    "The `Idempotency-Key` was used before for a different request. Nothing was recorded."))
            : endpoint;
    }

    /// <summary>A command on an existing complaint; the answer is the case as the command left it.</summary>
    public static async Task<IResult> Execute<TCommand>(Guid id, TCommand? command, HttpContext http, IMessageBus bus,
        OutboxedSessionFactory sessions, ComplaintCommandHandling handling) where TCommand : ComplaintCommand
    {
        // The session sends what the command publishes through the outbox of its own transaction.
        await using var session = sessions.OpenSession(bus);
        // A JSON null reaches here as no command; the handling refuses it.
        return await handling.Execute(id, command!, http, session, bus);
    }

    private static async Task<IResult> Receive(ReceiveComplaint? command, HttpContext http, IMessageBus bus, OutboxedSessionFactory sessions,
        ComplaintCommands commands)
    {
        var receive = ComplaintHttp.RequireBody(command);
        await using var session = sessions.OpenSession(bus);
        var origin = ComplaintCommandHandling.Origin(http, CommandCatalog.Receive.Action, null, receive);
        var code = AccessCodes.Draw();
        var outcome = await commands.Receive(receive, null, code.Hash, origin, session, bus, http.RequestAborted);
        var trackingNumber = outcome.TrackingNumber ?? (await ComplaintCommandHandling.DetailsAfter(session, outcome, http)).TrackingNumber;
        // A repeat recorded the first request's code, which is not kept: the one drawn now was never recorded.
        var shown = outcome.Repeated ? null : code.Code;
        if (shown is not null) http.Response.Headers.CacheControl = "no-store";
        return Results.Created($"/api/complaints/{outcome.ComplaintId}",
            new ComplaintAcknowledgement(outcome.ComplaintId, trackingNumber, outcome.Version, shown));
    }

    /// <summary>A new access code for the complainant, drawn here and shown once; the case records its hash.</summary>
    private static async Task<IResult> IssueAccessCode(Guid id, HttpContext http, IMessageBus bus, OutboxedSessionFactory sessions,
        ComplaintCommands commands)
    {
        var code = AccessCodes.Draw();
        var command = new IssueAccessCode(code.Hash);
        await using var session = sessions.OpenSession(bus);
        var origin = ComplaintCommandHandling.Origin(http, CommandCatalog.IssueAccessCode.Action, id, command, keyed: false);
        var outcome = await commands.Execute(id, command, origin, null, session, bus, http.RequestAborted);
        var details = await ComplaintCommandHandling.DetailsAfter(session, outcome, http);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new ComplaintAcknowledgement(id, details.TrackingNumber, outcome.Version, code.Code));
    }
}

using System.Linq.Expressions;
using System.Reflection;
using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Domain;
using Complaints.Projections.Complaints;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace Complaints.Api.Complaints;

/// <summary>What the complainant is told at once: the case's id, its tracking number and version.</summary>
public sealed record ComplaintAcknowledgement(Guid Id, string TrackingNumber, long Version);

/// <summary>
/// The HTTP endpoints of every command, made from its declaration in <see cref="CommandCatalog"/>: the route, the policy
/// and the description come from there, so that a new command is one line in the catalog.
/// </summary>
public static class ComplaintCommandEndpoints
{
    public const string Tag = "Complaints";

    public static void MapComplaintCommands(this IEndpointRouteBuilder app)
    {
        Describe(app.MapPost("/api/complaints", Receive), CommandCatalog.Receive).Produces<ComplaintAcknowledgement>(StatusCodes.Status201Created);

        var execute = typeof(ComplaintCommandEndpoints).GetMethod(nameof(Execute), BindingFlags.Public | BindingFlags.Static)!;
        foreach (var declared in CommandCatalog.OnComplaint)
        {
            var handler = execute.MakeGenericMethod(declared.Command);
            var signature = Expression.GetDelegateType([.. handler.GetParameters().Select(p => p.ParameterType), handler.ReturnType]);
            Describe(app.MapPost($"/api/complaints/{{id:guid}}/{declared.Action}", handler.CreateDelegate(signature)), declared)
                .Produces<ComplaintDetails>();
        }
    }

    private static RouteHandlerBuilder Describe(RouteHandlerBuilder endpoint, CommandDeclaration declared) => endpoint
        .RequireAuthorization(declared.Policy)
        .WithName(declared.Command.Name)
        .WithSummary(declared.Summary)
        .WithTags(Tag);

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
        var received = ComplaintHttp.RequireBody(command);
        await using var session = sessions.OpenSession(bus);
        var origin = ComplaintCommandHandling.Origin(http, CommandCatalog.Receive.Action, null, received);
        var outcome = await commands.Receive(received, null, origin, session, bus, http.RequestAborted);
        var trackingNumber = outcome.TrackingNumber ?? (await ComplaintCommandHandling.DetailsAfter(session, outcome, http)).TrackingNumber;
        return Results.Created($"/api/complaints/{outcome.ComplaintId}", new ComplaintAcknowledgement(outcome.ComplaintId, trackingNumber, outcome.Version));
    }
}

using Complaints.Api.Commanding;
using Complaints.Api.Http;
using Complaints.Domain;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Complaints.Api.Complaints.Receiving;

/// <summary>What the complainant is told at once: the case's id, its tracking number and version.</summary>
public sealed record ComplaintAcknowledgement(Guid Id, string TrackingNumber, long Version);

public static class ReceiveComplaintEndpoint
{
    [Authorize(Policy = Policies.Receive)]
    [WolverinePost("/api/complaints")]
    [ProducesResponseType<ComplaintAcknowledgement>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(ReceiveComplaint command, HttpContext http, IDocumentSession session, IMessageBus bus, ComplaintCommands commands)
    {
        ComplaintHttp.RequireBody(command);
        var origin = ComplaintCommandHandling.Origin(http, CommandCatalog.Receive, null, command);
        var outcome = await commands.Receive(command, null, origin, session, bus, http.RequestAborted);
        var trackingNumber = outcome.TrackingNumber ?? (await ComplaintCommandHandling.DetailsAfter(session, outcome, http)).TrackingNumber;
        return Results.Created($"/api/complaints/{outcome.ComplaintId}", new ComplaintAcknowledgement(outcome.ComplaintId, trackingNumber, outcome.Version));
    }
}

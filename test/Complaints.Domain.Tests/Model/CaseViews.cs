using Complaints.Api.Integration;
using Complaints.Projections.Analytics;
using Complaints.Projections.Complaints;
using V1 = Complaints.Contracts.V1;

namespace Complaints.Domain.Tests.Model;

/// <summary>
/// Everything that reads a complaint's stream, fed its events one at a time the way the service feeds them: the fold
/// (the write model), the case details, the analytics case row (folded apart, as the analytics projection does) and the
/// integration events published so far.
/// </summary>
public sealed class CaseViews
{
    private static readonly ComplainantKeys Keys = new(ComplainantKeys.DevelopmentSecret);

    public Complaint? Fold { get; private set; }
    public ComplaintDetails? Details { get; private set; }
    public AnalyticsCase? Analytics { get; private set; }

    /// <summary>What the last event published; null when it published nothing.</summary>
    public V1.IComplaintIntegrationEvent? LastPublished { get; private set; }

    public List<V1.IComplaintIntegrationEvent> Published { get; } = [];

    /// <param name="version">Where the event sits in the stream, 1-based, as the service publishes it.</param>
    public void Apply(object @event, long version)
    {
        Fold = Complaint.Evolve(Fold, @event);
        Details = ComplaintDetailsProjection.Evolve(Details, @event);
        Analytics = Analytics is null
            ? new AnalyticsCase(Complaint.From((ComplaintReceived)@event), Keys.For(((ComplaintReceived)@event).Complainant))
            : Analytics with { Case = Analytics.Case.After(@event) };
        LastPublished = IntegrationEventMapping.Map(@event, Fold!, version);
        if (LastPublished is not null) Published.Add(LastPublished);
    }

    /// <summary>The analytics case row: each column by name, as it would be written.</summary>
    public IReadOnlyDictionary<string, object?> AnalyticsRow() =>
        AnalyticsTables.CaseColumns.ToDictionary(column => column.Name, column => column.Value(Analytics!));

    /// <summary>
    /// The case's place in the reviewers' queue, read from its details as GetReReviewQueueEndpoint selects and reads
    /// them (the endpoint queries the database, so it is mirrored here); null when the case is not in the queue.
    /// </summary>
    public (int Round, DateTimeOffset RequestedAt)? ReReviewQueueEntry() =>
        Details!.Status == ComplaintStatus.AwaitingReReview ? (Details.ReReviewRound, Details.ReReviewRequestedAt!.Value) : null;
}

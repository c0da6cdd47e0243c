using Complaints.Domain;
using Complaints.Projections.Analytics;
using Complaints.Projections.Complaints;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Postgresql;
using static Weasel.Postgresql.SchemaUtils;

namespace Complaints.Projections;

/// <summary>How complaints are kept in Marten: event names, projections, documents and sequences.</summary>
public static class ComplaintStore
{
    /// <summary>Numbers the tracking numbers given to complainants (C-2026-000123).</summary>
    public const string TrackingNumberSequence = "complaint_tracking_number";

    public static StoreOptions AddComplaints(this StoreOptions opts)
    {
        RegisterEventTypes(opts);

        opts.Projections.Add<ComplaintProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ComplaintDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add(new ComplaintAnalyticsProjection(), ProjectionLifecycle.Async);

        opts.Schema.For<ComplaintDetails>()
            .UniqueIndex(x => x.TrackingNumber)
            .Index(x => x.Status)
            .Index(x => x.ReceivedAt)
            .Index(x => x.Category)
            .Index(x => x.Department)
            .Index(x => x.Handler)
            .Index(x => x.PromisedResolutionBy);

        opts.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(opts.DatabaseSchemaName, TrackingNumberSequence, IdentifierUsage.General)));
        return opts;
    }

    /// <summary>
    /// Each event is stored under a fixed name, so that renaming or moving a class never orphans recorded history.
    /// The names are part of the stored data: never change one.
    /// </summary>
    private static void RegisterEventTypes(StoreOptions opts)
    {
        opts.Events.MapEventType<ComplaintReceived>("complaint_received");
        opts.Events.MapEventType<ComplaintAccepted>("complaint_accepted");
        opts.Events.MapEventType<ComplaintDeclined>("complaint_declined");
        opts.Events.MapEventType<ComplaintTriaged>("complaint_triaged");
        opts.Events.MapEventType<ComplaintAssigned>("complaint_assigned");
        opts.Events.MapEventType<ComplaintReturned>("complaint_returned");
        opts.Events.MapEventType<FirstResponseMade>("first_response_made");
        opts.Events.MapEventType<EvidenceRecorded>("evidence_recorded");
        opts.Events.MapEventType<FindingsRecorded>("findings_recorded");
        opts.Events.MapEventType<ComplaintEscalated>("complaint_escalated");
        opts.Events.MapEventType<ExpectedResolutionDateGiven>("expected_resolution_date_given");
        opts.Events.MapEventType<ResolutionDueExtended>("resolution_due_extended");
        opts.Events.MapEventType<ComplaintResolved>("complaint_resolved");
        opts.Events.MapEventType<MediationAssessed>("mediation_assessed");
        opts.Events.MapEventType<MediationAgreementSigned>("mediation_agreement_signed");
        opts.Events.MapEventType<MediationFailed>("mediation_failed");
        opts.Events.MapEventType<SettledByParties>("settled_by_parties");
        opts.Events.MapEventType<FollowUpRecorded>("follow_up_recorded");
        opts.Events.MapEventType<RectificationOrdered>("rectification_ordered");
        opts.Events.MapEventType<ReReviewRequested>("re_review_requested");
        opts.Events.MapEventType<ComplaintReReviewed>("complaint_re_reviewed");
        opts.Events.MapEventType<ComplaintEscalatedToHigherLevel>("complaint_escalated_to_higher_level");
        opts.Events.MapEventType<ComplaintWithdrawn>("complaint_withdrawn");
        opts.Events.MapEventType<ComplaintClosed>("complaint_closed");
        opts.Events.MapEventType<ComplaintArchived>("complaint_archived");
    }
}

using Complaints.Domain;
using Complaints.Projections.Analytics;
using Complaints.Projections.Complaints;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Weasel.Core;
using Weasel.Postgresql;
using static Weasel.Postgresql.SchemaUtils;

namespace Complaints.Projections;

/// <summary>How complaints are kept in Marten: event names, projections, documents and sequences.</summary>
public static class ComplaintStore
{
    /// <summary>Numbers the tracking numbers given to complainants (C-2026-000123).</summary>
    public const string TrackingNumberSequence = "complaint_tracking_number";

    /// <param name="keys">How contacts become one-way keys; the development secret when none is given.</param>
    public static StoreOptions AddComplaints(this StoreOptions opts, ComplainantKeys? keys = null)
    {
        keys ??= new ComplainantKeys(ComplainantKeys.DevelopmentSecret);
        RegisterEventTypes(opts);

        opts.Projections.RebuildWithBulkCopy = true;
        opts.Projections.Add<ComplaintProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ComplaintDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add(new ComplaintAnalyticsProjection(keys), ProjectionLifecycle.Async, ComplaintAnalyticsProjection.ProjectionName, options =>
        {
            RebuildInLargeBatches(options);
            foreach (var table in ComplaintAnalyticsProjection.Tables()) options.DeleteDataInTableOnTeardown(table.Identifier.QualifiedName);
        });
        opts.Storage.ExtendedSchemaObjects.AddRange(ComplaintAnalyticsProjection.Tables());

        opts.Advanced.DuplicatedFieldEnumStorage = EnumStorage.AsString;
        opts.Schema.For<ComplaintDetails>().UniqueIndex(x => x.TrackingNumber); // the rest: MapCaseList

        opts.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(opts.DatabaseSchemaName, TrackingNumberSequence, IdentifierUsage.General)));

        return opts;
    }

    /// <summary>
    /// What the store writes of a document: its state, not what is read from it. A property without a setter is computed
    /// from the rest (the case details' fields read from the fold, the fold's own derived flags), so it is left out of the
    /// stored JSON, unless queries read it there ([Queried]); so are a document's empty fields. Answers over HTTP
    /// serialise them all.
    /// </summary>
    public static void StoreStateOnly(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("Complaints.", StringComparison.Ordinal) != true) return;
            for (var i = info.Properties.Count - 1; i >= 0; i--)
                if (info.Properties[i] is { Set: null } computed && computed.AttributeProvider?.IsDefined(typeof(QueriedAttribute), inherit: false) != true)
                    info.Properties.RemoveAt(i);
            // A document's empty milestones and dues are left out (a missing field reads as null), and so are its counters
            // and flags that still have the value a new document starts with (a missing field reads as that value); events
            // keep every field.
            if (info.Type.IsAssignableTo(typeof(IComplaintEvent))) return;
            var fresh = info.Type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(info.Type) : null;
            foreach (var property in info.Properties)
                if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                    property.ShouldSerialize = static (_, value) => value is not null;
                else if (fresh is not null && property.Get is { } get && property.Set is not null)
                {
                    var initial = get(fresh);
                    property.ShouldSerialize = (_, value) => !Equals(value, initial);
                }
        });

    /// <summary>
    /// The case list filters on these fields, so the plain ones are kept in columns of their own: a query reads them
    /// without unpacking every case's JSON. Times stay indexed inside the JSON, where they keep the offset they were
    /// given in. Overdue is two small partial indexes: the cases with an outstanding missed promise, and the cases
    /// awaiting a resolution, by their promised time. Every index is written on every step of a case, so there is none
    /// that no filter needs.
    /// </summary>
    internal static void MapCaseList(DocumentMapping<ComplaintDetails> mapping)
    {
        mapping.Duplicate(x => x.Status);
        mapping.Duplicate(x => x.Category);
        mapping.Duplicate(x => x.Department);
        mapping.Duplicate(x => x.Handler);
        mapping.Duplicate(x => x.Channel);
        mapping.Duplicate(x => x.AwaitingResolution);
        mapping.Duplicate(x => x.OutstandingMissedPromises, configure: index => index.Predicate = "outstanding_missed_promises > 0");
        // A channel is only asked with a period, whose index finds the rows; one is only awaiting resolution by a time.
        foreach (var unneeded in mapping.Indexes.OfType<DocumentIndex>().Where(i => i.Columns is ["channel"] or ["awaiting_resolution"]).ToList())
            mapping.Indexes.Remove(unneeded);

        mapping.Index(x => x.ReceivedAt);
        mapping.Index(x => x.PromisedResolutionBy, index => index.Predicate = "awaiting_resolution");
        mapping.Index(x => x.FollowUpDueFrom, index => index.Predicate = $"status = '{ComplaintStatus.Resolved}'");
    }

    /// <summary>
    /// A rebuild reads events in pages of 5 000 and keeps each case's latest document in memory until 10 000 cases
    /// are waiting, so a case with ten events is written once instead of ten times.
    /// </summary>
    internal static void RebuildInLargeBatches(JasperFx.Events.Projections.AsyncOptions options)
    {
        options.BatchSize = 5_000;
        options.RebuildFlushThreshold = 10_000;
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
        opts.Events.MapEventType<PersonalDataErased>("personal_data_erased");
        opts.Events.MapEventType<ServicePromisesGiven>("service_promises_given");
        opts.Events.MapEventType<ServicePromiseMissed>("service_promise_missed");
        opts.Events.MapEventType<ComplaintUrged>("complaint_urged");
        opts.Events.MapEventType<ComplainantNotReached>("complainant_not_reached");
        opts.Events.MapEventType<AccessCodeIssued>("access_code_issued");
        opts.Events.MapEventType<SourceAnomalyNoted>("source_anomaly_noted");
    }
}

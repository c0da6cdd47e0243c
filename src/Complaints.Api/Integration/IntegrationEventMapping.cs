using Complaints.Domain;
using V1 = Complaints.Contracts.V1;

namespace Complaints.Api.Integration;

/// <summary>
/// Which internal events other services hear of, and in which public form. Pure: from the event, the complaint just
/// after it and the version it was recorded at. Nothing personal crosses: no complainant, no free text.
/// </summary>
public static class IntegrationEventMapping
{
    public static V1.IComplaintIntegrationEvent? Map(object @event, Complaint after, long version)
    {
        var (id, number) = (after.Id, after.TrackingNumber);
        return @event switch
        {
            ComplaintReceived e => new V1.ComplaintReceived(id, number, version, e.At, e.Channel.ToString(), e.Category),
            ComplaintAssigned e => new V1.ComplaintAssigned(id, number, version, e.At, e.Department, e.Handler, after.DueAt,
                after.DueOf(ServicePromise.FirstResponse)),
            IComplaintEvent e when Complaint.ResolutionIn(e) is { } resolved =>
                new V1.ComplaintResolved(id, number, version, e.At, resolved.Remedy.ToString(), resolved.FirstContact, resolved.ByAgreement,
                    after.FollowUpDueFrom, after.FollowUpDueBy),
            FollowUpRecorded e => new V1.FollowUpRecorded(id, number, version, e.At, e.Satisfied, e.Score, e.Rectified, e.Round),
            ReReviewRequested e => new V1.ReReviewRequested(id, number, version, e.At, e.Round, e.Score, after.DueOf(ServicePromise.ReReview)),
            ComplaintEscalated e => new V1.ComplaintEscalated(id, number, version, e.At, EscalationLevel.Management.ToString()),
            ComplaintEscalatedToHigherLevel e => new V1.ComplaintEscalated(id, number, version, e.At, EscalationLevel.HigherLevel.ToString()),
            ServicePromiseMissed e => new V1.ServicePromiseMissed(id, number, version, e.At, e.Promise.ToString(), e.DueAt, after.Department, after.Handler),
            ComplaintClosed e => new V1.ComplaintClosed(id, number, version, e.At, e.Reason.ToString()),
            _ => null,
        };
    }
}

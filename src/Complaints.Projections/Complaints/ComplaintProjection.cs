using Complaints.Domain;
using Marten.Events.Aggregation;

namespace Complaints.Projections.Complaints;

/// <summary>
/// Keeps the write model inline so that commands fetch it with one read. Every method defers to the domain's
/// pure fold: the rules of how a complaint evolves live in one place.
/// </summary>
public partial class ComplaintProjection : SingleStreamProjection<Complaint, Guid>
{
    public ComplaintProjection() => ComplaintStore.RebuildInLargeBatches(Options);

    public Complaint Create(ComplaintReceived e) => Complaint.Create(e);

    public Complaint Apply(ComplaintAccepted e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintDeclined e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintTriaged e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintAssigned e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintReturned e, Complaint c) => c.Apply(e);
    public Complaint Apply(FirstResponseMade e, Complaint c) => c.Apply(e);
    public Complaint Apply(EvidenceRecorded e, Complaint c) => c.Apply(e);
    public Complaint Apply(FindingsRecorded e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintEscalated e, Complaint c) => c.Apply(e);
    public Complaint Apply(ExpectedResolutionDateGiven e, Complaint c) => c.Apply(e);
    public Complaint Apply(ResolutionDueExtended e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintResolved e, Complaint c) => c.Apply(e);
    public Complaint Apply(MediationAssessed e, Complaint c) => c.Apply(e);
    public Complaint Apply(MediationAgreementSigned e, Complaint c) => c.Apply(e);
    public Complaint Apply(MediationFailed e, Complaint c) => c.Apply(e);
    public Complaint Apply(SettledByParties e, Complaint c) => c.Apply(e);
    public Complaint Apply(FollowUpRecorded e, Complaint c) => c.Apply(e);
    public Complaint Apply(RectificationOrdered e, Complaint c) => c.Apply(e);
    public Complaint Apply(ReReviewRequested e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintReReviewed e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintEscalatedToHigherLevel e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintWithdrawn e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintClosed e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintArchived e, Complaint c) => c.Apply(e);
    public Complaint Apply(PersonalDataErased e, Complaint c) => c.Apply(e);
    public Complaint Apply(ServicePromisesGiven e, Complaint c) => c.Apply(e);
    public Complaint Apply(ServicePromiseMissed e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplaintUrged e, Complaint c) => c.Apply(e);
    public Complaint Apply(ComplainantNotReached e, Complaint c) => c.Apply(e);
}

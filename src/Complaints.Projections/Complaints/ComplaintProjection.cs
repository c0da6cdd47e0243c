using Complaints.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Complaints.Projections.Complaints;

/// <summary>
/// Keeps the write model inline so that commands fetch it with one read. It is the domain's pure fold and nothing else.
/// </summary>
public partial class ComplaintProjection : SingleStreamProjection<Complaint, Guid>
{
    public ComplaintProjection() => ComplaintStore.RebuildInLargeBatches(Options);

    public override Complaint? Evolve(Complaint? snapshot, Guid id, IEvent e) => Complaint.Evolve(snapshot, e.Data);
}

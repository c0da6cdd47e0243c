namespace Complaints.Domain;

/// <summary>
/// The sets of statuses that guards, queries and views speak of, named once. Each lists its statuses in lifecycle order,
/// so that a refusal names them in that order.
/// </summary>
public static class Statuses
{
    /// <summary>Not yet closed (or archived): a complainant may still withdraw, a supervisor may still urge.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> Open = Where(s => s is not (ComplaintStatus.Closed or ComplaintStatus.Archived));

    /// <summary>Accepted and not (or no longer) resolved: a resolution is owed, and a passed due date makes the case overdue.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> AwaitingResolution =
    [
        ComplaintStatus.Accepted, ComplaintStatus.Assigned, ComplaintStatus.Investigating, ComplaintStatus.InMediation,
        ComplaintStatus.EscalatedToHigherLevel,
    ];

    /// <summary>Received or awaiting resolution: a case that can still be referred elsewhere.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> Unresolved = [ComplaintStatus.Received, .. AwaitingResolution];

    /// <summary>Accepted or with a handler, before any mediation or escalation: the case can be (re)routed.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> Routable = [ComplaintStatus.Accepted, .. BeingWorkedList()];

    /// <summary>With a handler who works it: a first response is owed here until made.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> BeingWorked = BeingWorkedList();

    private static ComplaintStatus[] BeingWorkedList() => [ComplaintStatus.Assigned, ComplaintStatus.Investigating];

    private static ComplaintStatus[] Where(Func<ComplaintStatus, bool> include) => Enum.GetValues<ComplaintStatus>().Where(include).ToArray();
}

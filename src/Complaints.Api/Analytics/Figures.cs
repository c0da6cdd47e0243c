namespace Complaints.Api.Analytics;

/// <summary>
/// The figures the analytics endpoints and the monthly report share, defined once: the stages of a case's cycle time,
/// the promises whose compliance is measured, and how a rate and a mean are rounded.
/// </summary>
public static class Figures
{
    /// <summary>Each stage: the name, the column it starts from and the one it ends at.</summary>
    public static readonly (string Stage, string Start, string End)[] Stages =
    [
        ("receivedToAccepted", "received_at", "accepted_at"),
        ("receivedToAssigned", "received_at", "first_assigned_at"),
        ("assignedToFirstResponse", "first_assigned_at", "first_response_at"),
        ("receivedToResolved", "received_at", "first_resolved_at"),
        ("resolvedToFollowUp", "first_resolved_at", "first_follow_up_at"),
        ("receivedToClosed", "received_at", "closed_at"),
    ];

    /// <summary>Each promise: the column holding the promised time, and the column of the step it promised.</summary>
    public static readonly (string Promise, string DueBy, string Kept)[] Promises =
    [
        ("resolutionDue", "due_at", "first_resolved_at"),
        ("expectedResolutionDate", "expected_by", "first_resolved_at"),
    ];

    /// <summary>A share, to four places; null when there is nothing to share.</summary>
    public static double? Rate(object? part, object? whole) =>
        Convert.ToDouble(whole) == 0 ? null : Math.Round(Convert.ToDouble(part) / Convert.ToDouble(whole), 4);

    public static double? Round(object? value) => value is null ? null : Math.Round(Convert.ToDouble(value), 4);
}

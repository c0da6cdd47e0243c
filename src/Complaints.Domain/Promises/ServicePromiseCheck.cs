namespace Complaints.Domain;

/// <summary>
/// What a promise's timer records when it goes off. Pure: the timer only names the promise and the due it was set
/// for, and the complaint as it stands decides. A timer for a step that has happened, or for a due that has since
/// moved, records nothing; so does a timer delivered twice.
/// </summary>
public static class ServicePromiseCheck
{
    /// <summary>Who records what a timer finds.</summary>
    public const string RecordedBy = "system";

    /// <returns>The events to record (often none); null when the due has not come yet and the check must wait.</returns>
    public static IReadOnlyList<object>? Decide(Complaint complaint, ServicePromise promise, DateTimeOffset due, DateTimeOffset now)
    {
        if (complaint.DueOf(promise) != due || complaint.MissRecorded(promise, due)) return [];
        if (now < due) return null;
        if (promise == ServicePromise.ComplainantReply)
            return [new ComplaintClosed(CloseReason.NoResponse, $"the complainant was not reached by {due:O}", now, RecordedBy)];
        return [new ServicePromiseMissed(promise, due, now - due, now, RecordedBy)];
    }
}

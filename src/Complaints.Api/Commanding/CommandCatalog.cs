using Complaints.Domain;

namespace Complaints.Api.Commanding;

/// <summary>
/// Every command by the name of its HTTP route's last part (POST /api/complaints/{id}/resolve is "resolve"), so
/// that a command message names its command as the HTTP caller's URL does.
/// </summary>
public static class CommandCatalog
{
    public const string Receive = "receive";
    public const string ErasePersonalData = "erase-personal-data";

    public static readonly IReadOnlyDictionary<string, Type> OnComplaint = new Dictionary<string, Type>
    {
        ["accept"] = typeof(AcceptComplaint),
        ["decline"] = typeof(DeclineComplaint),
        ["withdraw"] = typeof(WithdrawComplaint),
        ["triage"] = typeof(TriageComplaint),
        ["assign"] = typeof(AssignComplaint),
        ["return"] = typeof(ReturnComplaint),
        ["first-response"] = typeof(RecordFirstResponse),
        ["evidence"] = typeof(RecordEvidence),
        ["findings"] = typeof(RecordFindings),
        ["escalate"] = typeof(EscalateComplaint),
        ["expected-date"] = typeof(GiveExpectedDate),
        ["extend"] = typeof(ExtendResolutionDue),
        ["urge"] = typeof(UrgeComplaint),
        ["resolve"] = typeof(ResolveComplaint),
        ["mediation"] = typeof(AssessMediation),
        ["mediation/agreement"] = typeof(SignMediationAgreement),
        ["mediation/failure"] = typeof(RecordMediationFailure),
        ["settlement"] = typeof(RecordSettlement),
        ["follow-up"] = typeof(RecordFollowUp),
        ["follow-up/not-reached"] = typeof(RecordComplainantNotReached),
        ["re-review"] = typeof(ReReviewComplaint),
        ["close"] = typeof(CloseComplaint),
        ["archive"] = typeof(ArchiveComplaint),
        [ErasePersonalData] = typeof(ErasePersonalData),
    };

    public static IEnumerable<string> Actions => [Receive, .. OnComplaint.Keys];
}

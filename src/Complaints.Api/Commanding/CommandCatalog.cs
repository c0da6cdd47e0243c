using Complaints.Api.Identity;
using Complaints.Domain;

namespace Complaints.Api.Commanding;

/// <summary>
/// A command, declared once: the domain command (whose [CommandName] is its route's last part and its action on the
/// queue), the policy whose roles may give it, and what it does, as the API's reference names (summary) and describes it.
/// The HTTP endpoints and their description, the command queue and the authorization tests are all made from these
/// declarations.
/// </summary>
public sealed record CommandDeclaration(Type Command, string Policy, string Summary, string Description)
{
    public string Action => ComplaintCommand.NameOf(Command);
}

public static class CommandCatalog
{
    /// <summary>POST /api/complaints: the first step of a new complaint.</summary>
    public static readonly CommandDeclaration Receive = new(typeof(ReceiveComplaint), Policies.Receive, "Receive a complaint",
        "Registers a complaint from any channel and answers at once with its tracking number.");

    /// <summary>
    /// POST /api/complaints/{id}/access-code, over HTTP only: the API draws the code and answers with it, once. The queue
    /// has no answer to carry it, and a command's body there would let the sender choose the code.
    /// </summary>
    public static readonly CommandDeclaration IssueAccessCode = new(typeof(IssueAccessCode), Policies.IssueAccessCode,
        "Issue a new access code",
        "Gives the complainant a new access code for their own lookup, when theirs is lost or they were given none (a case " +
        "received from another service, or imported); the code they had stops working. The answer shows the new code, once: " +
        "only its hash is recorded. Each request issues another code.");

    /// <summary>Every command on an existing complaint that the queue takes too: POST /api/complaints/{id}/{action}.</summary>
    public static readonly IReadOnlyList<CommandDeclaration> OnComplaint =
    [
        new(typeof(AcceptComplaint), Policies.Dispatch, "Accept a complaint", "Accepts a received complaint for handling."),
        new(typeof(DeclineComplaint), Policies.Dispatch, "Decline a complaint", "Declines a complaint (out of scope or not eligible), with the explanation given to the complainant; this closes it."),
        new(typeof(WithdrawComplaint), Policies.Withdraw, "Withdraw a complaint", "The complainant withdraws the complaint; this closes it."),
        new(typeof(TriageComplaint), Policies.Dispatch, "Triage a complaint", "Sets the category, severity and priority."),
        new(typeof(AssignComplaint), Policies.Dispatch, "Assign a complaint", "Assigns (or reassigns) the case to a department and handler, with a due date; the routing table picks the department when none is given."),
        new(typeof(ReturnComplaint), Policies.Investigate, "Return a complaint to dispatch", "The department returns a case that is not theirs (退单); it waits to be reassigned."),
        new(typeof(RecordFirstResponse), Policies.Investigate, "Record the first response", "The handler reached the site or the complainant."),
        new(typeof(RecordEvidence), Policies.Investigate, "Record evidence", "Records evidence or a party's statement."),
        new(typeof(RecordFindings), Policies.Investigate, "Record the findings", "Records whether the complaint is substantiated."),
        new(typeof(EscalateComplaint), Policies.Escalate, "Escalate to management", "Reports a hard case to management."),
        new(typeof(GiveExpectedDate), Policies.Escalate, "Give an expected resolution date", "Tells the complainant when to expect a resolution."),
        new(typeof(ExtendResolutionDue), Policies.Dispatch, "Extend the resolution due date", "Grants more time: moves the resolution due date later."),
        new(typeof(UrgeComplaint), Policies.Supervise, "Urge a complaint on", "A supervisor urges an open case on (督办), typically one the overdue filter shows."),
        new(typeof(ResolveComplaint), Policies.Resolve, "Resolve a complaint", "Records the remedy carried out and the reply given to the complainant."),
        new(typeof(AssessMediation), Policies.Mediate, "Assess for mediation", "Assesses whether the dispute can be mediated; if eligible, the case enters mediation."),
        new(typeof(SignMediationAgreement), Policies.Mediate, "Record a mediation agreement", "Records the mediation agreement signed in triplicate."),
        new(typeof(RecordMediationFailure), Policies.Mediate, "Record a failed mediation", "Records a failed mediation and the referral to litigation or arbitration."),
        new(typeof(RecordSettlement), Policies.Mediate, "Record a settlement", "Records that the parties settled by themselves."),
        new(typeof(RecordFollowUp), Policies.FollowUp, "Record the follow-up", "Records the follow-up visit: closes a satisfied case, opens a re-review or escalates an unsatisfied one, or sends an unperformed fix back for rectification."),
        new(typeof(RecordComplainantNotReached), Policies.FollowUp, "Record a follow-up attempt that did not reach the complainant", "A follow-up attempt that did not reach the complainant: the follow-up promise is kept, and the case closes as NoResponse unless the complainant is reached within the reply window."),
        new(typeof(ReReviewComplaint), Policies.ReReview, "Re-review a complaint", "A reviewer revises the plan of a case awaiting re-review."),
        new(typeof(CloseComplaint), Policies.Close, "Close a complaint", "Closes the case as Referred, NoResponse or AgreementPerformed."),
        new(typeof(ArchiveComplaint), Policies.Archive, "Archive a complaint", "Archives a closed case."),
        new(typeof(ErasePersonalData), Policies.ErasePersonalData, "Erase the complainant's personal data", "Lawful erasure of the complainant's personal data (identity, contact, location and every text written into the case): erased in every stored event of the case, and from the commands still held on the queues, in the transaction that records the erasure with its legal basis; the history keeps every step and still verifies, and the analytics keep every figure."),
    ];

    private static readonly IReadOnlyDictionary<string, CommandDeclaration> ByAction = OnComplaint.ToDictionary(c => c.Action);

    public static CommandDeclaration? Find(string action) => ByAction.GetValueOrDefault(action);

    private static readonly IReadOnlyDictionary<string, CommandDeclaration> Every =
        new[] { Receive, IssueAccessCode }.Concat(OnComplaint).ToDictionary(c => c.Action);

    /// <summary>Any command's declaration, those over HTTP only included.</summary>
    public static CommandDeclaration Declared(string action) =>
        Every.GetValueOrDefault(action) ?? throw new ArgumentException($"{action} is not a declared command", nameof(action));

    public static IEnumerable<string> Actions => [Receive.Action, .. OnComplaint.Select(c => c.Action)];
}

namespace Complaints.Domain;

/// <summary>
/// What a lawful erasure removes from a case: the complainant given at receipt, and every text a person wrote into the
/// case (the complainant's description, location and remedy sought, the evidence and its parties, findings, replies,
/// comments, notes and reasons), since any of them may name or describe the complainant. What is kept is what the
/// statistics and the history need: times, codes, scores, the office's departments, handlers and reviewers, and who
/// recorded each step.
/// </summary>
public static class PersonalData
{
    /// <summary>What an erased text reads.</summary>
    public const string Erased = "[erased]";

    public static string? Erase(string? text) => text is null ? null : Erased;

    /// <summary>The event with every personal value replaced; the event itself when it holds none.</summary>
    public static IComplaintEvent Erase(IComplaintEvent fact) => fact switch
    {
        ComplaintReceived e => e with
        {
            Complainant = Complainant.Erased, Description = Erased, Location = Erase(e.Location), RemedySought = Erase(e.RemedySought),
        },
        ComplaintAccepted e => e with { Note = Erase(e.Note) },
        ComplaintDeclined e => e with { Reason = Erased, Explanation = Erased },
        ComplaintReturned e => e with { Reason = Erased },
        FirstResponseMade e => e with { Note = Erase(e.Note) },
        EvidenceRecorded e => e with { Description = Erased, Party = Erase(e.Party) },
        FindingsRecorded e => e with { Summary = Erased },
        ComplaintEscalated e => e with { Reason = Erased },
        ExpectedResolutionDateGiven e => e with { Reason = Erase(e.Reason) },
        ResolutionDueExtended e => e with { Reason = Erased },
        ComplaintResolved e => e with { Description = Erased, Reply = Erased },
        MediationAssessed e => e with { Reason = Erased },
        MediationAgreementSigned e => e with { Terms = Erased },
        MediationFailed e => e with { Reason = Erased },
        SettledByParties e => e with { Terms = Erased },
        FollowUpRecorded e => e with { Comment = Erase(e.Comment) },
        RectificationOrdered e => e with { Comment = Erase(e.Comment) },
        ReReviewRequested e => e with { Comment = Erase(e.Comment) },
        ComplaintReReviewed e => e with { RevisedPlan = Erased },
        ComplaintEscalatedToHigherLevel e => e with { Comment = Erase(e.Comment) },
        ComplaintWithdrawn e => e with { Reason = Erase(e.Reason) },
        ComplaintClosed e => e with { Note = Erase(e.Note) },
        ComplaintUrged e => e with { Note = Erased },
        ComplainantNotReached e => e with { Note = Erase(e.Note) },
        // A note's words quote the source; its values are the source's dates and codes (a mapping notes no free text) and stay.
        SourceAnomalyNoted e => e with { Detail = Erased },
        // Triage, assignment, promises, archiving and erasure itself hold the office's own codes and names only.
        _ => fact,
    };
}

namespace Complaints.Domain;

/// <summary>How the complaint reached the office.</summary>
public enum Channel { Phone, Email, Online, Letter, WalkIn }

/// <summary>Where a complaint stands in its lifecycle. Declined and withdrawn cases are Closed with that reason.</summary>
public enum ComplaintStatus
{
    Received,
    Accepted,
    Assigned,
    Investigating,
    Resolved,
    InMediation,
    AwaitingReReview,
    EscalatedToHigherLevel,
    Closed,
    Archived,
}

public enum Severity { Low, Medium, High, Critical }

public enum Priority { Low, Normal, High, Urgent }

public enum Remedy { Refund, Exchange, Compensation, Repair, Apology, Explanation, Other }

public enum CloseReason { Satisfied, Declined, Withdrawn, Referred, NoResponse, AgreementPerformed }

/// <summary>Where the parties are sent when mediation fails.</summary>
public enum Referral { Litigation, Arbitration }

/// <summary>Where a case stands on the mediation path: assessed (in mediation, or not eligible), then how it ended.</summary>
public enum MediationOutcome { InMediation, NotEligible, Agreement, Settled, Failed }

/// <summary>Who a case went up to: management, reported by a handler, or a higher level after the last re-review round.</summary>
public enum EscalationLevel { Management, HigherLevel }

/// <summary>How a re-review round ended: a reviewer revised the plan, or the complainant withdrew first.</summary>
public enum ReReviewOutcome { ReReviewed, Withdrawn }

public enum EvidenceKind { Document, Photo, Statement, SiteRecord, Other }

/// <summary>The person who complains. Personal data: seen only by those who handle the case.</summary>
public sealed record Complainant(string Name, string? Phone, string? Email, string? Address)
{
    /// <summary>What stands in for the complainant once their personal data has been erased.</summary>
    public static readonly Complainant Erased = new("[erased]", null, null, null);
}

using Weasel.Postgresql;
using static Weasel.Postgresql.SchemaUtils;
using Weasel.Postgresql.Tables;

namespace Complaints.Projections.Analytics;

/// <summary>
/// The plain tables analysts query with SQL or a BI tool, in a schema of their own. They hold no complainant
/// identity: the contact appears only as a one-way key, enough to count repeat complainants.
/// </summary>
public static class AnalyticsTables
{
    public const string Schema = "analytics";
    public const string Cases = Schema + ".complaint_cases";
    public const string FollowUps = Schema + ".follow_ups";
    public const string ReReviews = Schema + ".re_reviews";
    public const string Escalations = Schema + ".escalations";
    public const string MissedPromises = Schema + ".missed_promises";

    /// <summary>One row per complaint: its dimensions and the time of each milestone.</summary>
    public static Table CaseTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "complaint_cases", IdentifierUsage.General));
        table.AddColumn("complaint_id", "uuid").AsPrimaryKey();
        table.AddColumn("tracking_number", "text").NotNull();
        table.AddColumn("channel", "text").NotNull();
        table.AddColumn("category", "text");
        table.AddColumn("department", "text");
        table.AddColumn("location", "text");
        table.AddColumn("complainant_key", "text");
        table.AddColumn("status", "text").NotNull();
        table.AddColumn("close_reason", "text");
        table.AddColumn("received_at", "timestamptz").NotNull();
        table.AddColumn("accepted_at", "timestamptz");
        table.AddColumn("declined_at", "timestamptz");
        table.AddColumn("first_assigned_at", "timestamptz");
        table.AddColumn("due_at", "timestamptz");
        table.AddColumn("expected_by", "timestamptz");
        table.AddColumn("first_response_at", "timestamptz");
        table.AddColumn("first_resolved_at", "timestamptz");
        table.AddColumn("resolved_at", "timestamptz");
        table.AddColumn("first_remedy", "text");
        table.AddColumn("first_contact", "boolean").DefaultValueByExpression("false").NotNull();
        table.AddColumn("first_follow_up_at", "timestamptz");
        table.AddColumn("closed_at", "timestamptz");
        table.AddColumn("returns", "integer").DefaultValueByExpression("0").NotNull();
        table.AddColumn("escalations", "integer").DefaultValueByExpression("0").NotNull();
        table.AddColumn("escalated_to_higher_level_at", "timestamptz");
        table.AddColumn("re_review_rounds", "integer").DefaultValueByExpression("0").NotNull();
        table.AddColumn("mediation_outcome", "text");
        table.AddColumn("mediation_ended_at", "timestamptz");
        table.AddColumn("referral", "text");
        table.AddColumn("last_score", "integer");
        table.AddColumn("last_satisfied", "boolean");
        table.AddColumn("missed_promises", "integer").DefaultValueByExpression("0").NotNull();
        table.AddColumn("urgings", "integer").DefaultValueByExpression("0").NotNull();
        table.AddColumn("last_event_at", "timestamptz").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_complaint_cases_received_at") { Columns = ["received_at"] });
        table.Indexes.Add(new IndexDefinition("ix_complaint_cases_closed_at") { Columns = ["closed_at"] });
        return table;
    }

    /// <summary>One row per follow-up, with the case's dimensions as they were then.</summary>
    public static Table FollowUpTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "follow_ups", IdentifierUsage.General));
        table.AddColumn("complaint_id", "uuid").AsPrimaryKey();
        table.AddColumn("version", "bigint").AsPrimaryKey();
        table.AddColumn("followed_up_at", "timestamptz").NotNull();
        table.AddColumn("round", "integer").NotNull();
        table.AddColumn("satisfied", "boolean").NotNull();
        table.AddColumn("score", "integer").NotNull();
        table.AddColumn("rectified", "boolean").NotNull();
        table.AddColumn("channel", "text");
        table.AddColumn("category", "text");
        table.AddColumn("department", "text");
        table.AddColumn("remedy", "text");
        table.Indexes.Add(new IndexDefinition("ix_follow_ups_followed_up_at") { Columns = ["followed_up_at"] });
        return table;
    }

    /// <summary>One row per re-review round: when it was asked for, and how it ended.</summary>
    public static Table ReReviewTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "re_reviews", IdentifierUsage.General));
        table.AddColumn("complaint_id", "uuid").AsPrimaryKey();
        table.AddColumn("round", "integer").AsPrimaryKey();
        table.AddColumn("requested_at", "timestamptz").NotNull();
        table.AddColumn("score", "integer").NotNull();
        table.AddColumn("unsatisfying_remedy", "text");
        table.AddColumn("reviewed_at", "timestamptz");
        table.AddColumn("outcome", "text");
        table.AddColumn("next_follow_up_satisfied", "boolean");
        return table;
    }

    /// <summary>One row per escalation: to management by a handler, or to a higher level after the last re-review.</summary>
    public static Table EscalationTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "escalations", IdentifierUsage.General));
        table.AddColumn("complaint_id", "uuid").AsPrimaryKey();
        table.AddColumn("version", "bigint").AsPrimaryKey();
        table.AddColumn("escalated_at", "timestamptz").NotNull();
        table.AddColumn("level", "text").NotNull();
        return table;
    }

    /// <summary>One row per promise missed: which promise, when it fell due, and the case's dimensions then.</summary>
    public static Table MissedPromiseTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "missed_promises", IdentifierUsage.General));
        table.AddColumn("complaint_id", "uuid").AsPrimaryKey();
        table.AddColumn("version", "bigint").AsPrimaryKey();
        table.AddColumn("promise", "text").NotNull();
        table.AddColumn("due_at", "timestamptz").NotNull();
        table.AddColumn("recorded_at", "timestamptz").NotNull();
        table.AddColumn("channel", "text");
        table.AddColumn("category", "text");
        table.AddColumn("department", "text");
        table.Indexes.Add(new IndexDefinition("ix_missed_promises_due_at") { Columns = ["due_at"] });
        return table;
    }
}

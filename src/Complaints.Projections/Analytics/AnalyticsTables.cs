using Complaints.Domain;
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

    /// <summary>
    /// Every column of analytics.complaint_cases, the key first: its name, its PostgreSQL type, and how it is read from the
    /// complaint's fold. The table, the batch upsert and the documented column list all come from this one list.
    /// </summary>
    public static readonly IReadOnlyList<CaseColumn> CaseColumns =
    [
        new("complaint_id", "uuid", c => c.Case.Id) { Key = true },
        new("tracking_number", "text", c => c.Case.TrackingNumber) { NotNull = true },
        new("channel", "text", c => c.Case.Channel.ToString()) { NotNull = true },
        new("category", "text", c => c.Case.Category),
        new("department", "text", c => c.Case.Department),
        new("complainant_key", "text", c => c.ComplainantKey),
        new("status", "text", c => c.Case.Status.ToString()) { NotNull = true },
        new("close_reason", "text", c => c.Case.CloseReason?.ToString()),
        new("received_at", "timestamptz", c => c.Case.ReceivedAt) { NotNull = true },
        new("accepted_at", "timestamptz", c => c.Case.AcceptedAt),
        new("declined_at", "timestamptz", c => c.Case.DeclinedAt),
        new("first_assigned_at", "timestamptz", c => c.Case.FirstAssignedAt),
        new("due_at", "timestamptz", c => c.Case.DueAt),
        new("expected_by", "timestamptz", c => c.Case.ExpectedBy),
        new("first_response_at", "timestamptz", c => c.Case.FirstResponseAt),
        new("first_resolved_at", "timestamptz", c => c.Case.FirstResolvedAt),
        new("resolved_at", "timestamptz", c => c.Case.ResolvedAt),
        new("first_remedy", "text", c => c.Case.FirstRemedy?.ToString()),
        new("first_contact", "boolean", c => c.Case.FirstContact) { NotNull = true, Default = "false" },
        new("first_follow_up_at", "timestamptz", c => c.Case.FirstFollowUpAt),
        new("closed_at", "timestamptz", c => c.Case.ClosedAt),
        new("returns", "integer", c => c.Case.Returns) { NotNull = true, Default = "0" },
        new("escalations", "integer", c => c.Case.Escalations) { NotNull = true, Default = "0" },
        new("escalated_to_higher_level_at", "timestamptz", c => c.Case.EscalatedToHigherLevelAt),
        new("re_review_rounds", "integer", c => c.Case.ReReviewRound) { NotNull = true, Default = "0" },
        new("mediation_outcome", "text", c => c.Case.MediationOutcome?.ToString()),
        new("mediation_ended_at", "timestamptz", c => c.Case.MediationEndedAt),
        new("referral", "text", c => c.Case.Referral?.ToString()),
        new("last_score", "integer", c => c.Case.LastSatisfactionScore),
        new("last_satisfied", "boolean", c => c.Case.LastSatisfied),
        new("missed_promises", "integer", c => c.Case.MissedPromises) { NotNull = true, Default = "0" },
        new("urgings", "integer", c => c.Case.Urgings) { NotNull = true, Default = "0" },
        new("source_anomalies", "integer", c => c.Case.SourceAnomalies.Count) { NotNull = true, Default = "0" },
        new("last_event_at", "timestamptz", c => c.Case.LastEventAt) { NotNull = true },
    ];

    /// <summary>One row per complaint: its dimensions and the time of each milestone.</summary>
    public static Table CaseTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "complaint_cases", IdentifierUsage.General));
        foreach (var column in CaseColumns)
        {
            var added = table.AddColumn(column.Name, column.Type);
            if (column.Key) added.AsPrimaryKey();
            if (column.Default is { } value) added.DefaultValueByExpression(value);
            if (column.NotNull) added.NotNull();
        }
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

/// <summary>One case as the analytics see it: the complaint's fold, and the one-way key of its complainant's contact.</summary>
public sealed record AnalyticsCase(Complaint Case, string? ComplainantKey);

/// <summary>A column of analytics.complaint_cases: its name, its PostgreSQL type, and its value for a case.</summary>
public sealed record CaseColumn(string Name, string Type, Func<AnalyticsCase, object?> Value)
{
    public bool Key { get; init; }
    public bool NotNull { get; init; }
    public string? Default { get; init; }

    /// <summary>The column's values for a batch of cases, as the array its unnest parameter takes.</summary>
    public object Values(IReadOnlyList<AnalyticsCase> cases) => Type switch
    {
        "uuid" => cases.Select(c => (Guid)Value(c)!).ToArray(),
        "text" => cases.Select(c => (string?)Value(c)).ToArray(),
        "integer" => cases.Select(c => (int?)Value(c)).ToArray(),
        "boolean" => cases.Select(c => (bool?)Value(c)).ToArray(),
        // Times travel as ISO 8601 text cast to timestamptz in the SQL: Marten hands a DateTimeOffset to Npgsql as a plain timestamp.
        "timestamptz" => cases.Select(c => ((DateTimeOffset?)Value(c))?.ToUniversalTime().ToString("O")).ToArray(),
        _ => throw new InvalidOperationException($"no array for column type {Type}"),
    };
}

using Complaints.Domain;

namespace Complaints.Api.Importing;

/// <summary>
/// The US CFPB consumer complaint export (snake_case headers as in the public samples, or the database's own
/// "Date received", "Complaint ID", …). The mapping is fixed, because analysts compare our figures with the CFPB's:
///   date_received → received and accepted (00:00 UTC of that day); submitted_via → channel; product → category;
///   company → department (handler "company"), assigned at 00:00 UTC of date_sent_to_company;
///   company_response_to_consumer → the remedy, resolved at 12:00 UTC of date_sent_to_company;
///   timely_response → the assignment's due date: Yes = the resolution time (kept), No = 06:00 that day (missed);
///   consumer_disputed? Yes → an unsatisfied follow-up (score 2, opens a re-review), No → a satisfied one
///   (score 4, closes the case), 3 days after the resolution; complaint_id → the source id.
/// The CFPB's dates carry no time of day; the fixed hours above only keep the steps in order within one day.
/// </summary>
public sealed class CfpbFormat : IImportFormat
{
    public const string Handler = "company";
    public const int DisputedScore = 2;
    public const int SatisfiedScore = 4;
    public static readonly TimeSpan ResolvedAtHour = TimeSpan.FromHours(12);
    public static readonly TimeSpan MissedDueAtHour = TimeSpan.FromHours(6);
    public static readonly TimeSpan FollowUpAfter = TimeSpan.FromDays(3);

    /// <summary>The CFPB asks companies to respond within 15 days; an untimely case still open was due then.</summary>
    public static readonly TimeSpan ResponseWindow = TimeSpan.FromDays(15);

    public string Name => "cfpb";
    public string Title => "CFPB consumer complaint export";
    public string SourceIdColumn => "complaint_id";
    public IReadOnlyList<string> RequiredColumns { get; } =
        ["date_received", "product", "company", "submitted_via", "date_sent_to_company", "company_response_to_consumer",
         "timely_response", "consumer_disputed", "complaint_id"];

    /// <summary>
    /// The export's columns as the CFPB publishes them ("ZIP code" in the database's export, "zipcode" in the samples).
    /// Not imported: company_public_response (the company's statement for the public, not its reply to the consumer)
    /// and consumer_consent_provided (whether the CFPB may publish the narrative; the narrative's presence says it).
    /// </summary>
    public IReadOnlyList<string> Columns { get; } =
        ["date_received", "product", "sub_product", "issue", "sub_issue", "consumer_complaint_narrative", "company_public_response",
         "company", "state", "zip_code", "zipcode", "tags", "consumer_consent_provided", "submitted_via", "date_sent_to_company",
         "company_response_to_consumer", "timely_response", "consumer_disputed", "complaint_id"];

    public SourceComplaint Map(SourceRow row)
    {
        var id = row.Required(SourceIdColumn);
        var received = SourceTime.Parse("date_received", row.Required("date_received"), TimeZoneInfo.Utc);
        var channel = Channel(row.Required("submitted_via"));
        var company = row.Required("company");
        var product = row["product"];
        var sentToCompany = SourceTime.Optional(row, "date_sent_to_company", TimeZoneInfo.Utc);
        var response = row["company_response_to_consumer"];
        var remedy = Remedy(response);
        var timely = YesNo(row, "timely_response");
        var disputed = YesNo(row, "consumer_disputed");

        var receive = new ReceiveComplaint(
            channel,
            new Complainant("CFPB consumer", null, null, $"c/o the CFPB, complaint {id}"),
            Description(row),
            Location: Location(row),
            Category: product,
            ReceivedAt: received);

        var steps = new List<ComplaintCommand> { new AcceptComplaint("registered by the CFPB") { At = received } };
        if (sentToCompany is { } sent)
        {
            var resolvedAt = sent + ResolvedAtHour;
            DateTimeOffset? due = (remedy, timely) switch
            {
                (not null, true) => resolvedAt,
                (not null, false) => sent + MissedDueAtHour,
                (null, false) => sent + ResponseWindow,
                _ => null,
            };
            steps.Add(new AssignComplaint(Handler, company, due) { At = sent });
            if (remedy is { } r)
            {
                steps.Add(new ResolveFromSource(r, $"{response} ({company})", response!) { At = resolvedAt });
                if (disputed is { } d)
                    steps.Add(new RecordFollowUp(!d, d ? DisputedScore : SatisfiedScore, true,
                        d ? "the consumer disputed the company's response" : "the consumer did not dispute the company's response")
                    { At = resolvedAt + FollowUpAfter });
            }
        }
        return new SourceComplaint(id, receive, steps);
    }

    /// <summary>Web and web referrals are online; referrals from other agencies and faxes come in writing, as letters.</summary>
    private static Channel Channel(string via) => via.ToLowerInvariant() switch
    {
        "web" or "web referral" => Domain.Channel.Online,
        "phone" => Domain.Channel.Phone,
        "email" => Domain.Channel.Email,
        "postal mail" or "fax" or "referral" => Domain.Channel.Letter,
        _ => throw new RowRejected("unknown submitted_via", $"submitted_via '{via}' is none of Web, Web Referral, Phone, Email, Postal mail, Fax, Referral"),
    };

    /// <summary>
    /// The company's response as a remedy; null when the company has not resolved it (in progress, untimely or no
    /// response), which leaves the case assigned and open.
    /// </summary>
    private static Remedy? Remedy(string? response) => response?.ToLowerInvariant() switch
    {
        "closed with monetary relief" => Domain.Remedy.Compensation,
        "closed with non-monetary relief" or "closed with relief" => Domain.Remedy.Other,
        "closed with explanation" => Domain.Remedy.Explanation,
        "closed" or "closed without relief" => Domain.Remedy.Other,
        null or "in progress" or "untimely response" => null,
        _ => throw new RowRejected("unknown company_response_to_consumer",
            $"company_response_to_consumer '{response}' is not a response the CFPB publishes"),
    };

    private static bool? YesNo(SourceRow row, string column) => row[column]?.ToLowerInvariant() switch
    {
        "yes" => true,
        "no" => false,
        null or "n/a" => null,
        var other => throw new RowRejected($"unreadable {column}", $"{column} '{other}' is neither Yes nor No"),
    };

    /// <summary>The narrative, else the issue and product; the CFPB's tags (Older American, Servicemember) after either.</summary>
    private static string Description(SourceRow row)
    {
        var tags = row["tags"] is { } t ? $" [{t}]" : "";
        if (row["consumer_complaint_narrative"] is { } narrative) return narrative + tags;
        var issue = row["issue"] ?? "(no issue given)";
        var subIssue = row["sub_issue"] is { } s ? $": {s}" : "";
        var product = string.Join(" / ", new[] { row["product"], row["sub_product"] }.OfType<string>());
        return (product.Length > 0 ? $"{issue}{subIssue} ({product})" : issue + subIssue) + tags;
    }

    /// <summary>State and ZIP code; the samples lost the ZIP codes' leading zeros (NJ 8512), which are put back.</summary>
    private static string? Location(SourceRow row)
    {
        var zip = row["zipcode", "zip_code"];
        if (zip is { Length: < 5 } && zip.All(char.IsDigit)) zip = zip.PadLeft(5, '0');
        var location = string.Join(" ", new[] { row["state"], zip }.OfType<string>());
        return location.Length > 0 ? location : null;
    }
}

/// <summary>
/// A resolution as the source recorded it. The source may record a monetary relief without its amount, which the
/// domain requires of a live case; the step still passes the resolve decision (state and time order), and the
/// event carries the source's remedy with the amount left unknown.
/// </summary>
[CommandName("resolve")]
public sealed record ResolveFromSource(Remedy Remedy, string Description, string Reply) : ComplaintCommand
{
    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        var amountless = Remedy is Domain.Remedy.Refund or Domain.Remedy.Compensation;
        var decided = new ResolveComplaint(amountless ? Domain.Remedy.Other : Remedy, Description, Reply) { At = at }.Decide(complaint, context);
        return decided.Select(e => e is ComplaintResolved r ? r with { Remedy = Remedy } : e).ToList();
    }
}

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
/// The CFPB's dates carry no time of day; the fixed hours above only keep the steps in order within one day. Only the id
/// and date_received must be readable; a value the mapping does not know, cannot read or misses is recorded with its
/// documented fallback and noted on the case (<see cref="SourceNote"/>), and a company response without the date it was
/// sent is resolved on the day received, without an assignment.
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

    /// <summary>Stands in for the company in an assignment when the row names none.</summary>
    public const string CompanyNotGiven = "(company not given)";

    public SourceComplaint Map(SourceRow row)
    {
        var id = row.Required(SourceIdColumn);
        var receivedText = row.Required("date_received");
        var received = SourceTime.Parse("date_received", receivedText, TimeZoneInfo.Utc);
        var noted = new List<SourceNote>();
        var channel = Channel(row["submitted_via"], noted);
        var company = row.Needed(noted, "company", "company", CompanyNotGiven);
        var product = row["product"];
        var sentText = row["date_sent_to_company"];
        var sentToCompany = SourceTime.Optional(row, "date_sent_to_company", "date_sent_to_company", TimeZoneInfo.Utc, noted);
        var response = row["company_response_to_consumer"];
        var remedy = Remedy(response, noted);
        var timely = YesNo(row, "timely_response", noted);
        var disputed = YesNo(row, "consumer_disputed", noted);

        var receive = new ReceiveComplaint(
            channel,
            new Complainant("CFPB consumer", null, null, $"c/o the CFPB, complaint {id}"),
            Description(row),
            Location: Location(row),
            Category: product,
            ReceivedAt: received);

        var steps = new List<SourceStep> { new(new AcceptComplaint("registered by the CFPB") { At = received }, "date_received", receivedText) };
        // A response without the date it was sent to the company: the company resolved it, on a day the row does not give;
        // it is recorded on the day received, without an assignment, and noted.
        var resolvedOn = sentToCompany;
        if (sentToCompany is null && remedy is not null)
        {
            resolvedOn = received;
            noted.Add(new SourceNote(SourceAnomaly.MissingValue,
                "a company response without date_sent_to_company; resolved on date_received, without an assignment",
                new Dictionary<string, string?> { ["date_sent_to_company"] = sentText, ["company_response_to_consumer"] = response }));
        }
        if (sentToCompany is { } sent)
        {
            DateTimeOffset? due = (remedy, timely) switch
            {
                (not null, true) => sent + ResolvedAtHour,
                (not null, false) => sent + MissedDueAtHour,
                (null, false) => sent + ResponseWindow,
                _ => null,
            };
            steps.Add(new SourceStep(new AssignComplaint(Handler, company, due) { At = sent }, "date_sent_to_company", sentText)
            {
                Values = new Dictionary<string, string?> { ["timely_response"] = row["timely_response"] },
            });
        }
        if (remedy is { } r && resolvedOn is { } day)
        {
            var resolvedAt = day + ResolvedAtHour;
            var dayColumn = sentToCompany is null ? "date_received" : "date_sent_to_company";
            var dayText = sentToCompany is null ? receivedText : sentText;
            steps.Add(new SourceStep(new ResolveFromSource(r, $"{response} ({company})", response!) { At = resolvedAt }, dayColumn, dayText)
            {
                Values = new Dictionary<string, string?> { ["company_response_to_consumer"] = response },
            });
            if (disputed is { } d)
                steps.Add(new SourceStep(new RecordFollowUp(!d, d ? DisputedScore : SatisfiedScore, true,
                    d ? "the consumer disputed the company's response" : "the consumer did not dispute the company's response")
                { At = resolvedAt + FollowUpAfter }, dayColumn, dayText)
                {
                    Values = new Dictionary<string, string?> { ["consumer_disputed"] = row["consumer_disputed"] },
                });
        }
        return new SourceComplaint(id, receive, steps)
        {
            ReceivedFrom = new Dictionary<string, string?> { ["date_received"] = receivedText },
            Noted = noted,
        };
    }

    /// <summary>
    /// Web and web referrals are online; referrals from other agencies and faxes come in writing, as letters. A value the
    /// CFPB does not publish, or none, is taken as online, the way most of its complaints come, and noted.
    /// </summary>
    private static Channel Channel(string? via, List<SourceNote> noted)
    {
        switch (via?.ToLowerInvariant())
        {
            case "web" or "web referral": return Domain.Channel.Online;
            case "phone": return Domain.Channel.Phone;
            case "email": return Domain.Channel.Email;
            case "postal mail" or "fax" or "referral": return Domain.Channel.Letter;
        }
        noted.Add(via is null
            ? new SourceNote(SourceAnomaly.MissingValue, "submitted_via is empty; taken as Web", new Dictionary<string, string?> { ["submitted_via"] = null })
            : new SourceNote(SourceAnomaly.UnknownValue, $"submitted_via '{via}' is none of Web, Web Referral, Phone, Email, Postal mail, Fax, Referral; taken as Web",
                new Dictionary<string, string?> { ["submitted_via"] = via }));
        return Domain.Channel.Online;
    }

    /// <summary>
    /// The company's response as a remedy; null when the company has not resolved it (in progress, untimely or no
    /// response), which leaves the case assigned and open. A response the CFPB does not publish is taken as none, and noted.
    /// </summary>
    private static Remedy? Remedy(string? response, List<SourceNote> noted)
    {
        switch (response?.ToLowerInvariant())
        {
            case "closed with monetary relief": return Domain.Remedy.Compensation;
            case "closed with non-monetary relief" or "closed with relief": return Domain.Remedy.Other;
            case "closed with explanation": return Domain.Remedy.Explanation;
            case "closed" or "closed without relief": return Domain.Remedy.Other;
            case null or "in progress" or "untimely response": return null;
        }
        noted.Add(new SourceNote(SourceAnomaly.UnknownValue,
            $"company_response_to_consumer '{response}' is not a response the CFPB publishes; taken as no response",
            new Dictionary<string, string?> { ["company_response_to_consumer"] = response }));
        return null;
    }

    private static bool? YesNo(SourceRow row, string column, List<SourceNote> noted)
    {
        switch (row[column]?.ToLowerInvariant())
        {
            case "yes": return true;
            case "no": return false;
            case null or "n/a": return null;
        }
        noted.Add(new SourceNote(SourceAnomaly.UnreadableValue, $"{column} '{row[column]}' is neither Yes nor No; taken as not given",
            new Dictionary<string, string?> { [column] = row[column] }));
        return null;
    }

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
/// event carries the source's remedy with the amount left unknown. A source's resolution is never one at first contact
/// in our office, even when the source gives no assignment before it.
/// </summary>
[CommandName("resolve")]
public sealed record ResolveFromSource(Remedy Remedy, string Description, string Reply) : ComplaintCommand
{
    protected override IReadOnlyList<object> Decide(Complaint complaint, DateTimeOffset at, CommandContext context)
    {
        var amountless = Remedy is Domain.Remedy.Refund or Domain.Remedy.Compensation;
        var decided = new ResolveComplaint(amountless ? Domain.Remedy.Other : Remedy, Description, Reply) { At = at }.Decide(complaint, context);
        // The source's office resolved it, never ours at first contact, even where the source gives no assignment before.
        return decided.Select(e => e is ComplaintResolved r ? r with { Remedy = Remedy, FirstContact = false } : e).ToList();
    }
}

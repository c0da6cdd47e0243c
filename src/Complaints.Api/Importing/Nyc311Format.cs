using Complaints.Domain;

namespace Complaints.Api.Importing;

/// <summary>
/// The NYC 311 service-request export (NYC Open Data, "311 Service Requests from 2010 to Present"). Its times are
/// New York local times with AM/PM:
///   Created Date → received, accepted and assigned; Agency → department (handler: Agency Name);
///   Complaint Type → category; Open Data Channel Type → channel (absent in older exports: Phone);
///   Due Date → the assignment's resolution due date; Closed Date → resolved (remedy Other, the Resolution
///   Description as the reply) and closed as NoResponse, since 311 makes no follow-up visit, when the Status says
///   Closed (or the export has no Status); a Status other than Closed beside a Closed Date leaves the request open, and a
///   Closed Status without a Closed Date closes it at the Resolution Action Updated Date (else the Created Date), both
///   noted as columns that disagree; Unique Key → the source id.
/// </summary>
public sealed class Nyc311Format : IImportFormat
{
    public static readonly TimeZoneInfo NewYork = SourceTime.Zone("America/New_York");

    public string Name => "nyc311";
    public string Title => "NYC 311 service-request export";
    public string SourceIdColumn => "unique_key";
    public IReadOnlyList<string> RequiredColumns { get; } = ["unique_key", "created_date", "closed_date", "agency", "complaint_type", "due_date"];

    /// <summary>
    /// The columns read, then those of the published export left out: the finer places and coordinates (the location is
    /// the address and borough), and the columns of particular services (parks, schools, taxis, bridges, ferries), which
    /// the domain has no field for.
    /// </summary>
    public IReadOnlyList<string> Columns { get; } =
    [
        "unique_key", "created_date", "closed_date", "agency", "agency_name", "complaint_type", "descriptor", "incident_address",
        "intersection_street_1", "intersection_street_2", "borough", "city", "due_date", "resolution_description", "open_data_channel_type",
        "status", "resolution_action_updated_date", "location_type", "incident_zip", "street_name", "cross_street_1", "cross_street_2",
        "address_type", "landmark", "facility_type", "community_board", "bbl", "x_coordinate_state_plane", "y_coordinate_state_plane",
        "latitude", "longitude", "location", "park_facility_name", "park_borough", "school_name", "school_number", "school_region",
        "school_code", "school_phone_number", "school_address", "school_city", "school_state", "school_zip", "school_not_found",
        "school_or_citywide_complaint", "vehicle_type", "taxi_company_borough", "taxi_pick_up_location", "bridge_highway_name",
        "bridge_highway_direction", "road_ramp", "bridge_highway_segment", "garage_lot_name", "ferry_direction", "ferry_terminal_name",
    ];

    /// <summary>Stands in for the agency in an assignment when the row names none.</summary>
    public const string AgencyNotGiven = "(agency not given)";

    /// <summary>The one status of a request that 311 has closed.</summary>
    public const string ClosedStatus = "Closed";

    public SourceComplaint Map(SourceRow row)
    {
        var id = row.Required(SourceIdColumn);
        var createdText = row.Required("created_date");
        var created = SourceTime.Parse("Created Date", createdText, NewYork);
        var noted = new List<SourceNote>();
        var closedText = row["closed_date"];
        var closed = SourceTime.Optional(row, "closed_date", "Closed Date", NewYork, noted);
        var due = SourceTime.Optional(row, "due_date", "Due Date", NewYork, noted);
        var agency = row.Needed(noted, "agency", "Agency", AgencyNotGiven);
        var type = row["complaint_type"];

        var receive = new ReceiveComplaint(
            Channel(row["open_data_channel_type"], noted),
            new Complainant("NYC 311 caller", null, null, $"c/o NYC 311, service request {id}"),
            Description(row),
            Location: Location(row),
            Category: type,
            ReceivedAt: created);

        List<SourceStep> steps =
        [
            new(new AcceptComplaint("registered by NYC 311") { At = created }, "Created Date", createdText),
            new(new AssignComplaint(row["agency_name"] ?? agency, agency, due) { At = created }, "Created Date", createdText)
            {
                Values = new Dictionary<string, string?> { ["Due Date"] = row["due_date"] },
            },
        ];
        var (closedAt, closedColumn, closedValue) = Closing(row, closed, closedText, created, createdText, noted);
        if (closedAt is { } at)
        {
            var reply = row["resolution_description"] ?? $"Closed by {agency}.";
            steps.Add(new SourceStep(new ResolveComplaint(Remedy.Other, $"closed by {agency} in NYC 311", reply) { At = at }, closedColumn, closedValue));
            steps.Add(new SourceStep(new CloseComplaint(CloseReason.NoResponse, "closed in NYC 311, which makes no follow-up visit") { At = at },
                closedColumn, closedValue));
        }
        return new SourceComplaint(id, receive, steps)
        {
            ReceivedFrom = new Dictionary<string, string?> { ["Created Date"] = createdText },
            Noted = noted,
        };
    }

    /// <summary>
    /// Whether and when the request was closed, as its Status says (the closed date decides only in an export without a
    /// Status): a Status other than Closed beside a Closed Date leaves it open; a Closed Status without a Closed Date
    /// closes it when the resolution was last updated, else when it was created. Either disagreement is noted.
    /// </summary>
    private static (DateTimeOffset? At, string? Column, string? Value) Closing(SourceRow row, DateTimeOffset? closed, string? closedText,
        DateTimeOffset created, string createdText, List<SourceNote> noted)
    {
        var status = row["status"];
        if (status is null) return (closed, "Closed Date", closedText);
        var statusClosed = string.Equals(status, ClosedStatus, StringComparison.OrdinalIgnoreCase);
        if (statusClosed == closed is not null) return (closed, "Closed Date", closedText);

        var values = new Dictionary<string, string?> { ["Status"] = status, ["Closed Date"] = closedText };
        if (!statusClosed)
        {
            noted.Add(new SourceNote(SourceAnomaly.ColumnsDisagree, $"Status '{status}' beside a Closed Date; the request is kept open, as the Status says", values));
            return (null, null, null);
        }
        var updatedText = row["resolution_action_updated_date"];
        var updated = SourceTime.Optional(row, "resolution_action_updated_date", "Resolution Action Updated Date", NewYork, noted);
        if (updated is not null) values["Resolution Action Updated Date"] = updatedText;
        noted.Add(new SourceNote(SourceAnomaly.ColumnsDisagree,
            $"Status '{status}' without a Closed Date; closed at the {(updated is null ? "Created Date" : "Resolution Action Updated Date")}", values));
        return updated is { } at ? (at, "Resolution Action Updated Date", updatedText) : (created, "Created Date", createdText);
    }

    /// <summary>The mobile app counts as online; what the export does not know (UNKNOWN, OTHER, no column) as a call, 311 being a phone line first.</summary>
    private static Channel Channel(string? channel, List<SourceNote> noted)
    {
        switch (channel?.ToUpperInvariant())
        {
            case "ONLINE" or "MOBILE": return Domain.Channel.Online;
            case "PHONE" or "UNKNOWN" or "OTHER" or null: return Domain.Channel.Phone;
            case "EMAIL": return Domain.Channel.Email;
        }
        noted.Add(new SourceNote(SourceAnomaly.UnknownValue,
            $"Open Data Channel Type '{channel}' is none of PHONE, ONLINE, MOBILE, EMAIL, UNKNOWN, OTHER; taken as PHONE",
            new Dictionary<string, string?> { ["Open Data Channel Type"] = channel }));
        return Domain.Channel.Phone;
    }

    private static string Description(SourceRow row)
    {
        var type = row["complaint_type"] ?? "Service request";
        return row["descriptor"] is { } descriptor ? $"{type}: {descriptor}" : type;
    }

    private static string? Location(SourceRow row)
    {
        var place = row["incident_address"]
            ?? (row["intersection_street_1"] is { } street1 && row["intersection_street_2"] is { } street2 ? $"{street1} & {street2}" : null);
        var location = string.Join(", ", new[] { place, row["borough"] ?? row["city"] }.OfType<string>());
        return location.Length > 0 ? location : null;
    }
}

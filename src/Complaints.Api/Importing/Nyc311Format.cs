using Complaints.Domain;

namespace Complaints.Api.Importing;

/// <summary>
/// The NYC 311 service-request export (NYC Open Data, "311 Service Requests from 2010 to Present"). Its times are
/// New York local times with AM/PM:
///   Created Date → received, accepted and assigned; Agency → department (handler: Agency Name);
///   Complaint Type → category; Open Data Channel Type → channel (absent in older exports: Phone);
///   Due Date → the assignment's resolution due date; Closed Date → resolved (remedy Other, the Resolution
///   Description as the reply) and closed as NoResponse, since 311 makes no follow-up visit;
///   a row without a Closed Date stays open, whatever its Status says; Unique Key → the source id.
/// </summary>
public sealed class Nyc311Format : IImportFormat
{
    public static readonly TimeZoneInfo NewYork = SourceTime.Zone("America/New_York");

    public string Name => "nyc311";
    public string Title => "NYC 311 service-request export";
    public string SourceIdColumn => "unique_key";
    public IReadOnlyList<string> RequiredColumns { get; } = ["unique_key", "created_date", "closed_date", "agency", "complaint_type", "due_date"];

    /// <summary>
    /// The columns read, then those of the published export left out: Status (the closed date decides), the finer
    /// places and coordinates (the location is the address and borough), and the columns of particular services
    /// (parks, schools, taxis, bridges, ferries), which the domain has no field for.
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

    public SourceComplaint Map(SourceRow row)
    {
        var id = row.Required(SourceIdColumn);
        var created = SourceTime.Parse("Created Date", row.Required("created_date"), NewYork);
        var closed = TimeOrNull(row, "closed_date", "Closed Date");
        var due = TimeOrNull(row, "due_date", "Due Date");
        var agency = row.Required("agency");
        var type = row["complaint_type"];

        var receive = new ReceiveComplaint(
            Channel(row["open_data_channel_type"]),
            new Complainant("NYC 311 caller", null, null, $"c/o NYC 311, service request {id}"),
            Description(row),
            Location: Location(row),
            Category: type,
            ReceivedAt: created);

        List<ComplaintCommand> steps =
        [
            new AcceptComplaint("registered by NYC 311") { At = created },
            new AssignComplaint(row["agency_name"] ?? agency, agency, due) { At = created },
        ];
        if (closed is { } at)
        {
            var reply = row["resolution_description"] ?? $"Closed by {agency}.";
            steps.Add(new ResolveComplaint(Remedy.Other, $"closed by {agency} in NYC 311", reply) { At = at });
            steps.Add(new CloseComplaint(CloseReason.NoResponse, "closed in NYC 311, which makes no follow-up visit") { At = at });
        }
        return new SourceComplaint(id, receive, steps);
    }

    private static DateTimeOffset? TimeOrNull(SourceRow row, string column, string name) =>
        row[column] is { } text ? SourceTime.Parse(name, text, NewYork) : null;

    /// <summary>The mobile app counts as online; what the export does not know (UNKNOWN, OTHER, no column) as a call, 311 being a phone line first.</summary>
    private static Channel Channel(string? channel) => channel?.ToUpperInvariant() switch
    {
        "ONLINE" or "MOBILE" => Domain.Channel.Online,
        "PHONE" or "UNKNOWN" or "OTHER" or null => Domain.Channel.Phone,
        "EMAIL" => Domain.Channel.Email,
        _ => throw new RowRejected("unknown Open Data Channel Type",
            $"Open Data Channel Type '{channel}' is none of PHONE, ONLINE, MOBILE, UNKNOWN, OTHER"),
    };

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

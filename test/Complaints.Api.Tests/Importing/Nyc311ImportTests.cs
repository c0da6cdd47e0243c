using Complaints.Domain;
using System.Text.Json.Nodes;
using System.Globalization;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// A small NYC 311 export written here: New York local times with AM/PM (padded and not), empty Closed and Due Dates,
/// a request closed the moment it was opened, rows whose history breaks a rule or disagrees with itself (imported as
/// they say, and noted), and unreadable rows. Its requests are created in June 2012, and the analytics are asserted for
/// that month over a database of this class's own: the clean rows' figures with quality=clean, the noted ones apart.
/// </summary>
// Each of these classes starts a host over a database of its own: one at a time.
[Collection("AnalyticsTests")]
public sealed class Nyc311ImportTests(OwnDatabase<Nyc311ImportTests> fixture) : IClassFixture<OwnDatabase<Nyc311ImportTests>>
{
    private const string Header = "Unique Key,Created Date,Closed Date,Agency,Agency Name,Complaint Type,Descriptor,Incident Address,Borough," +
                                  "Status,Due Date,Resolution Description,Open Data Channel Type";

    private const string June = "from=2012-06-01&to=2012-07-01";
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private sealed record Row(string Key, string Created, string Closed, string Agency, string Type, string Status, string Due, string Channel,
        string Resolution = "")
    {
        public string Csv => Line(Key, Created, Closed, Agency, Agency + " (agency name)", Type, "Descriptor", "1 MAIN STREET", "BROOKLYN",
            Status, Due, Resolution, Channel);

        public static DateTime Utc(string local) => TimeZoneInfo.ConvertTimeToUtc(
            DateTime.ParseExact(local, ["MM/dd/yyyy hh:mm:ss tt", "M/d/yyyy hh:mm:ss tt", "M/d/yyyy h:mm:ss tt"], CultureInfo.InvariantCulture,
                DateTimeStyles.None), NewYork);

        public bool IsClosed => Status == "Closed";
        public double HoursToClose => (Utc(Closed) - Utc(Created)).TotalHours;

        /// <summary>Received, accepted, assigned; resolved and closed.</summary>
        public int Events => 3 + (IsClosed ? 2 : 0);
    }

    private static readonly Row[] Good =
    [
        new("8100001", "06/01/2012 09:15:00 AM", "06/01/2012 11:45:30 AM", "NYPD", "Noise - Residential", "Closed", "", "PHONE",
            "The Police Department responded to the complaint and took action to fix the condition."),
        new("8100002", "06/01/2012 10:00:00 PM", "06/03/2012 08:00:00 AM", "HPD", "HEAT/HOT WATER", "Closed", "06/02/2012 10:00:00 PM", "ONLINE"),
        new("8100003", "6/2/2012 12:00:00 AM", "6/2/2012 01:30:00 PM", "DOT", "Street Condition", "Closed", "6/9/2012 12:00:00 AM", "MOBILE"),
        new("8100004", "06/03/2012 03:10:00 PM", "", "DSNY", "Dirty Conditions", "Open", "06/10/2012 03:10:00 PM", "UNKNOWN"),
        new("8100005", "06/04/2012 11:59:59 PM", "", "NYPD", "Illegal Parking", "In Progress", "", ""),
        new("8100006", "06/05/2012 08:00:00 AM", "06/05/2012 08:00:00 AM", "DEP", "Water System", "Closed", "", "PHONE",
            "Inspected, \"no leak\" found, closed."),
    ];

    /// <summary>Rows imported as they say, each with the anomalies noted on it and the events it records (its notes included).</summary>
    private static readonly (Row Row, SourceAnomaly[] Anomalies, int Events, string Status)[] Noted =
    [
        // Closed before it was created: resolved and closed at the source's time; both steps ran back against the creation, noted once.
        (new("8100101", "06/02/2012 12:00:00 AM", "04/30/2012 12:00:00 AM", "HPD", "PAINT/PLASTER", "Closed", "", "PHONE"),
            [SourceAnomaly.StepsOutOfOrder], 6, "Closed"),
        (new("8100104", "06/05/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "", "CARRIER PIGEON"), [SourceAnomaly.UnknownValue], 4, "Assigned"),
        (new("8100105", "06/05/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "06/04/2012 10:00:00 AM", "PHONE"),
            [SourceAnomaly.DueNotAfterAssignment], 4, "Assigned"),
        // The Status decides: a Closed Date beside a Status that is not Closed leaves the request open.
        (new("8100007", "06/06/2012 07:30:00 AM", "06/08/2012 04:00:00 PM", "HPD", "PLUMBING", "Pending", "", "ONLINE"),
            [SourceAnomaly.ColumnsDisagree], 4, "Assigned"),
        // Closed without a Closed Date (and no Resolution Action Updated Date column): closed when created.
        (new("8100108", "06/07/2012 09:00:00 AM", "", "DOT", "Street Condition", "Closed", "", "PHONE"), [SourceAnomaly.ColumnsDisagree], 6, "Closed"),
        (new("8100109", "06/07/2012 10:00:00 AM", "06/31/2012 10:00:00 AM", "DOT", "Street Condition", "Open", "", "PHONE"),
            [SourceAnomaly.UnreadableValue], 4, "Assigned"),
        (new("8100110", "06/07/2012 11:00:00 AM", "", "", "Street Condition", "Open", "", "PHONE"), [SourceAnomaly.MissingValue], 4, "Assigned"),
    ];

    private static (string Text, List<(int Line, string Reason)> Broken) File()
    {
        var file = new CsvFile(Header);
        var broken = new List<(int, string)>();
        file.Add(Good[0].Csv);
        file.Add(Noted[0].Row.Csv);
        file.Add(Good[1].Csv);
        file.Add(Good[2].Csv);
        broken.Add((file.Add(new Row("8100102", "", "", "HPD", "PAINT/PLASTER", "Open", "", "PHONE").Csv), "missing created_date"));
        broken.Add((file.Add(new Row("8100103", "06/31/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "", "PHONE").Csv),
            "unreadable Created Date"));
        file.Add(Good[3].Csv);
        file.Add(Good[4].Csv);
        file.Add(Noted[1].Row.Csv);
        file.Add(Noted[2].Row.Csv);
        broken.Add((file.Add("8100106,06/05/2012 10:00:00 AM,,HPD,HPD,PAINT/PLASTER,Descriptor,1 MAIN STREET, BROOKLYN,BROOKLYN,Open,,,PHONE"),
            "wrong number of fields"));
        file.Add(Good[5].Csv);
        foreach (var noted in Noted.Skip(3)) file.Add(noted.Row.Csv);
        return (file.Text, broken);
    }

    [Fact]
    public async Task a_311_export_becomes_complaints_closed_when_the_request_was_and_open_otherwise_and_a_second_import_changes_nothing()
    {
        var (text, broken) = File();
        var summary = await Importer(fixture, batchSize: 3).ImportAsync("nyc311", new StringReader(text), ct: TestContext.Current.CancellationToken);

        summary.RowsRead.ShouldBe(Good.Length + Noted.Length + broken.Count);
        summary.ComplaintsCreated.ShouldBe(Good.Length + Noted.Length);
        summary.BadRows.Select(b => (b.Line, b.Reason)).ShouldBe(broken);
        summary.ComplaintsNoted.ShouldBe(Noted.Length);
        summary.AnomaliesNoted.ShouldBe(Noted.SelectMany(n => n.Anomalies).GroupBy(a => a).ToDictionary(g => g.Key, g => (long)g.Count()), ignoreOrder: true);
        summary.EventsWritten.ShouldBe(Good.Sum(r => r.Events) + Noted.Sum(n => n.Events));

        await Projected(fixture);
        var ids = Ids("nyc311", Good.Select(r => r.Key));
        var figures = await Figures(ids);
        await NotedAsTheSourceSays();

        var again = await Importer(fixture).ImportAsync("nyc311", new StringReader(text), ct: TestContext.Current.CancellationToken);
        (again.ComplaintsCreated, again.AlreadyImported, again.EventsWritten).ShouldBe((0L, (long)(Good.Length + Noted.Length), 0L));
        await Projected(fixture);
        (await Figures(ids)).ShouldBe(figures);
    }

    private async Task<string> Figures(Guid[] ids)
    {
        var cases = await Sql(fixture,
            "select complaint_id, channel, category, department, status, close_reason, received_at, first_resolved_at, closed_at, due_at " +
            "from analytics.complaint_cases where complaint_id = any(@ids) order by received_at", ("ids", ids));
        cases.Count.ShouldBe(Good.Length);
        var byId = cases.ToDictionary(c => (Guid)c["complaint_id"]!);
        foreach (var row in Good)
        {
            var c = byId[Ids("nyc311", [row.Key])[0]];
            c["channel"].ShouldBe(row.Channel is "ONLINE" or "MOBILE" ? "Online" : "Phone");
            c["category"].ShouldBe(row.Type);
            c["department"].ShouldBe(row.Agency);
            c["status"].ShouldBe(row.IsClosed ? "Closed" : "Assigned");
            c["close_reason"].ShouldBe(row.IsClosed ? "NoResponse" : null);
            ((DateTime)c["received_at"]!).ShouldBe(Row.Utc(row.Created));
            ((DateTime?)c["closed_at"]).ShouldBe(row.IsClosed ? Row.Utc(row.Closed) : null);
            ((DateTime?)c["first_resolved_at"]).ShouldBe(row.IsClosed ? Row.Utc(row.Closed) : null);
            ((DateTime?)c["due_at"]).ShouldBe(row.Due == "" ? null : Row.Utc(row.Due));
        }

        var cycle = await Get(fixture, $"/api/analytics/cycle-times?{June}&quality=clean");
        var closed = cycle["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "receivedToClosed")!;
        var hours = Good.Where(r => r.IsClosed).Select(r => r.HoursToClose).ToList();
        closed["count"]!.GetValue<long>().ShouldBe(hours.Count);
        closed["meanHours"]!.GetValue<double>().ShouldBe(Round4(hours.Average()));
        closed["medianHours"]!.GetValue<double>().ShouldBe(Round4(Percentile(hours, 0.5)));
        var promise = cycle["promises"]!.AsArray().Single(p => p!["promise"]!.GetValue<string>() == "resolutionDue")!;
        var due = Good.Where(r => r.Due != "").ToList();
        promise["due"]!.GetValue<long>().ShouldBe(due.Count);
        promise["met"]!.GetValue<long>().ShouldBe(due.Count(r => r.IsClosed && Row.Utc(r.Closed) <= Row.Utc(r.Due)));

        var byChannel = (await Get(fixture, $"/api/analytics/cycle-times?{June}&by=channel&quality=clean"))["stages"]!.AsArray()
            .Where(s => s!["stage"]!.GetValue<string>() == "receivedToAssigned")
            .ToDictionary(s => s!["group"]!["channel"]!.GetValue<string>(), s => s!["count"]!.GetValue<long>());
        byChannel.ShouldBe(Good.GroupBy(r => r.Channel is "ONLINE" or "MOBILE" ? "Online" : "Phone").ToDictionary(g => g.Key, g => (long)g.Count()),
            ignoreOrder: true);

        return string.Join("\n", cases.Select(c => string.Join(",", c.Values))) + cycle.ToJsonString();
    }

    /// <summary>Each noted row: its status as the source says, its notes on the case and in the analytics, the filter's counts.</summary>
    private async Task NotedAsTheSourceSays()
    {
        var api = new ComplaintsApi(fixture.Host, "auditor.import");
        foreach (var (row, anomalies, events, status) in Noted)
        {
            var id = Ids("nyc311", [row.Key])[0];
            var details = await api.Get(id);
            ComplaintsApi.Text(details["status"]).ShouldBe(status, row.Key);
            details["dataQualityNotes"]!.AsArray().Select(n => ComplaintsApi.Text(n!["anomaly"])).ShouldBe(anomalies.Select(a => a.ToString()), row.Key);
            (await api.History(id)).Count.ShouldBe(events, row.Key);
            (await Count(fixture, "select source_anomalies from analytics.complaint_cases where complaint_id = @id", ("id", id))).ShouldBe(anomalies.Length);
        }

        // The closing before the opening is recorded at the source's times, with both columns in the note.
        var backwards = await api.Get(Ids("nyc311", ["8100101"])[0]);
        ComplaintsApi.Time(backwards["closedAt"]).ShouldBe(new DateTimeOffset(Row.Utc(Noted[0].Row.Closed), TimeSpan.Zero));
        var values = backwards["dataQualityNotes"]![0]!["sourceValues"]!;
        ComplaintsApi.Text(values["Created Date"]).ShouldBe(Noted[0].Row.Created);
        ComplaintsApi.Text(values["Closed Date"]).ShouldBe(Noted[0].Row.Closed);
        // The Status against the Closed Date: both values.
        var pending = (await api.Get(Ids("nyc311", ["8100007"])[0]))["dataQualityNotes"]![0]!["sourceValues"]!;
        (ComplaintsApi.Text(pending["Status"]), ComplaintsApi.Text(pending["Closed Date"])).ShouldBe(("Pending", Noted[3].Row.Closed));

        // Every case of the month is counted once: the clean ones, the noted ones, all of them.
        long Assigned(JsonNode cycle) => cycle["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "receivedToAssigned")!["count"]!.GetValue<long>();
        Assigned(await Get(fixture, $"/api/analytics/cycle-times?{June}&quality=noted")).ShouldBe(Noted.Length);
        Assigned(await Get(fixture, $"/api/analytics/cycle-times?{June}&quality=clean")).ShouldBe(Good.Length);
        Assigned(await Get(fixture, $"/api/analytics/cycle-times?{June}")).ShouldBe(Good.Length + Noted.Length);
    }

    [Fact]
    public async Task two_imports_of_the_same_file_at_once_record_each_request_once()
    {
        var file = new CsvFile(Header);
        var keys = Enumerable.Range(8200001, 40).Select(k => k.ToString()).ToList();
        foreach (var key in keys)
            file.Add(new Row(key, "07/01/2012 09:00:00 AM", "07/01/2012 10:00:00 AM", "DOT", "Street Light Condition", "Closed", "", "PHONE").Csv);

        var imports = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => Importer(fixture, batchSize: 5).ImportAsync("nyc311", new StringReader(file.Text), ct: TestContext.Current.CancellationToken))));

        imports.ShouldAllBe(i => i.BadRows.Count == 0);
        imports.Sum(i => i.ComplaintsCreated).ShouldBe(keys.Count);
        imports.Sum(i => i.AlreadyImported).ShouldBe(keys.Count);
        (await Count(fixture, "select count(*) from complaints.mt_streams where id = any(@ids)", ("ids", Ids("nyc311", keys)))).ShouldBe(keys.Count);
        (await Count(fixture, "select count(*) from complaints.mt_events where stream_id = any(@ids)", ("ids", Ids("nyc311", keys))))
            .ShouldBe(keys.Count * 5);
    }
}

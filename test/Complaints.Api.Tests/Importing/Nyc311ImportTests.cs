using System.Globalization;
using Complaints.Api.Importing;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// A small NYC 311 export written here: New York local times with AM/PM (padded and not), empty Closed and Due Dates,
/// a request closed the moment it was opened, a closed one whose Status still says Pending, and broken rows. Its
/// requests are created in June 2012, and the analytics are asserted for that month over a database of this class's own.
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

        public bool IsClosed => Closed != "";
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
        new("8100007", "06/06/2012 07:30:00 AM", "06/08/2012 04:00:00 PM", "HPD", "PLUMBING", "Pending", "", "ONLINE"),
    ];

    private static (string Text, List<(int Line, string Reason)> Broken) File()
    {
        var file = new CsvFile(Header);
        var broken = new List<(int, string)>();
        file.Add(Good[0].Csv);
        broken.Add((file.Add(new Row("8100101", "06/02/2012 12:00:00 AM", "04/30/2012 12:00:00 AM", "HPD", "PAINT/PLASTER", "Pending", "", "PHONE").Csv),
            "dates run backwards"));
        file.Add(Good[1].Csv);
        file.Add(Good[2].Csv);
        broken.Add((file.Add(new Row("8100102", "", "", "HPD", "PAINT/PLASTER", "Open", "", "PHONE").Csv), "missing created_date"));
        broken.Add((file.Add(new Row("8100103", "06/31/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "", "PHONE").Csv),
            "unreadable Created Date"));
        file.Add(Good[3].Csv);
        file.Add(Good[4].Csv);
        broken.Add((file.Add(new Row("8100104", "06/05/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "", "CARRIER PIGEON").Csv),
            "unknown Open Data Channel Type"));
        broken.Add((file.Add(new Row("8100105", "06/05/2012 10:00:00 AM", "", "HPD", "PAINT/PLASTER", "Open", "06/04/2012 10:00:00 AM", "PHONE").Csv),
            "invalid: dueAt"));
        broken.Add((file.Add("8100106,06/05/2012 10:00:00 AM,,HPD,HPD,PAINT/PLASTER,Descriptor,1 MAIN STREET, BROOKLYN,BROOKLYN,Open,,,PHONE"),
            "wrong number of fields"));
        file.Add(Good[5].Csv);
        file.Add(Good[6].Csv);
        return (file.Text, broken);
    }

    [Fact]
    public async Task a_311_export_becomes_complaints_closed_when_the_request_was_and_open_otherwise_and_a_second_import_changes_nothing()
    {
        var (text, broken) = File();
        var summary = await Importer(fixture, batchSize: 3).ImportAsync("nyc311", new StringReader(text), ct: TestContext.Current.CancellationToken);

        summary.RowsRead.ShouldBe(Good.Length + broken.Count);
        summary.ComplaintsCreated.ShouldBe(Good.Length);
        summary.BadRows.Select(b => (b.Line, b.Reason)).ShouldBe(broken);
        summary.BadRows.Single(b => b.Reason == "dates run backwards").Detail.ShouldContain("cannot resolve");
        summary.EventsWritten.ShouldBe(Good.Sum(r => r.Events));

        await Projected(fixture);
        var ids = Ids("nyc311", Good.Select(r => r.Key));
        var figures = await Figures(ids);

        var again = await Importer(fixture).ImportAsync("nyc311", new StringReader(text), ct: TestContext.Current.CancellationToken);
        (again.ComplaintsCreated, again.AlreadyImported, again.EventsWritten).ShouldBe((0L, (long)Good.Length, 0L));
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

        var cycle = await Get(fixture, $"/api/analytics/cycle-times?{June}");
        var closed = cycle["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "receivedToClosed")!;
        var hours = Good.Where(r => r.IsClosed).Select(r => r.HoursToClose).ToList();
        closed["count"]!.GetValue<long>().ShouldBe(hours.Count);
        closed["meanHours"]!.GetValue<double>().ShouldBe(Round4(hours.Average()));
        closed["medianHours"]!.GetValue<double>().ShouldBe(Round4(Percentile(hours, 0.5)));
        var promise = cycle["promises"]!.AsArray().Single(p => p!["promise"]!.GetValue<string>() == "resolutionDue")!;
        var due = Good.Where(r => r.Due != "").ToList();
        promise["due"]!.GetValue<long>().ShouldBe(due.Count);
        promise["met"]!.GetValue<long>().ShouldBe(due.Count(r => r.IsClosed && Row.Utc(r.Closed) <= Row.Utc(r.Due)));

        var byChannel = (await Get(fixture, $"/api/analytics/cycle-times?{June}&by=channel"))["stages"]!.AsArray()
            .Where(s => s!["stage"]!.GetValue<string>() == "receivedToAssigned")
            .ToDictionary(s => s!["group"]!["channel"]!.GetValue<string>(), s => s!["count"]!.GetValue<long>());
        byChannel.ShouldBe(Good.GroupBy(r => r.Channel is "ONLINE" or "MOBILE" ? "Online" : "Phone").ToDictionary(g => g.Key, g => (long)g.Count()),
            ignoreOrder: true);

        return string.Join("\n", cases.Select(c => string.Join(",", c.Values))) + cycle.ToJsonString();
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

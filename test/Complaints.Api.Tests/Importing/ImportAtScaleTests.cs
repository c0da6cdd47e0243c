using Complaints.Api.Importing;
using Complaints.Domain;
using Complaints.Projections;
using Microsoft.Extensions.DependencyInjection;
using Complaints.Api.Tests.Support;
using Shouldly;
using static Complaints.Api.Tests.Importing.GeneratedCfpbExport;
using static Complaints.Api.Tests.Importing.ImportTestSupport;

namespace Complaints.Api.Tests.Importing;

/// <summary>
/// Imports of generated CFPB exports (<see cref="GeneratedCfpbExport"/>, made as they are read) into a database of this
/// class's own: what an import keeps does not grow with the file, an import stopped half way resumes without recording
/// anything twice, and a dry run reports what the import will do and writes nothing.
/// </summary>
[Collection("AnalyticsTests")]
public sealed class ImportAtScaleTests(OwnDatabase<ImportAtScaleTests> fixture) : IClassFixture<OwnDatabase<ImportAtScaleTests>>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ComplaintImporter Importer(int batchSize, bool dryRun = false, int badRowsKept = ComplaintImporter.DefaultBadRowsKept,
        string? report = null) =>
        new(fixture.Store, fixture.Host.Services.GetRequiredService<ComplaintPolicies>(), TimeProvider.System)
        {
            BatchSize = batchSize, DryRun = dryRun, BadRowsKept = badRowsKept, ReportPath = report,
        };

    private static SourceRows Rows(GeneratedCfpbExport export) => ComplaintImporter.Rows(ComplaintImporter.Format("cfpb"), export);

    /// <summary>
    /// Weak references to what the import was handed early in the file (the rows' complaints and source ids, bad rows
    /// past the first ones kept), checked after a full collection when most of the file has been read: an importer
    /// that kept anything per row (a dictionary of the ids seen, a list of every bad row) would still hold them then.
    /// </summary>
    private sealed class Retention(GeneratedCfpbExport export, int rows) : IProgress<ImportProgress>
    {
        private readonly List<WeakReference> _early = [];
        private int _bad;
        private int _noted;
        public int? StillHeld { get; private set; }
        public int Tracked => _early.Count;

        /// <summary>
        /// Tracks the first quarter's rows, but for the bad and the noted ones among the first few: the summary keeps the
        /// first bad rows and the first notes (their source ids too), as it should.
        /// </summary>
        public IEnumerable<ImportRow> Watch(IEnumerable<ImportRow> source) => source.Select((row, i) =>
        {
            var n = i + 1;
            var kind = export.KindOf(n);
            if (kind == Kind.DatesBackwards) _noted++;
            else if (!export.Stored(n)) _bad++;
            var listed = kind switch
            {
                Kind.Good => false,
                Kind.DatesBackwards => _noted <= 2 * ImportSummary.NotedRowsListed,
                _ => _bad <= 2 * ComplaintImporter.DefaultBadRowsKept,
            };
            if (n < rows / 4 && !listed)
            {
                if (row.Complaint is { } complaint)
                {
                    _early.Add(new WeakReference(complaint));
                    _early.Add(new WeakReference(complaint.SourceId));
                }
                if (row.Bad is { } bad) _early.Add(new WeakReference(bad));
            }
            return row;
        });

        public void Report(ImportProgress value)
        {
            if (StillHeld is not null || value.RowsRead < rows * 9L / 10) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            StillHeld = _early.Count(w => w.IsAlive);
        }
    }

    [Theory]
    [InlineData(true, 200_000, 500)]
    [InlineData(false, 3_000, 100)]
    public async Task what_an_import_keeps_does_not_grow_with_the_file(bool dryRun, int rows, int batchSize)
    {
        var export = new GeneratedCfpbExport(dryRun ? 10_000_000 : 20_000_000, rows);
        var retention = new Retention(export, rows);
        var source = Rows(export);

        var summary = await Importer(batchSize, dryRun).ImportAsync("cfpb", retention.Watch(source), retention, null, Ct);

        summary.RowsRead.ShouldBe(rows);
        summary.ComplaintsCreated.ShouldBe(export.StoredRows.Count());
        summary.ComplaintsNoted.ShouldBe(export.Rows(Kind.DatesBackwards).Count());
        summary.BadRowsByReason.ShouldBe(new Dictionary<string, long>
        {
            [GeneratedCfpbExport.UnreadableReason] = export.Rows(Kind.UnreadableDate).Count(),
            [ComplaintImporter.RepeatedInTheFile] = export.Rows(Kind.Repeat).Count(),
        }, ignoreOrder: true);
        summary.BadRowCount.ShouldBe(rows - summary.ComplaintsCreated);
        summary.BadRows.Count.ShouldBe(ComplaintImporter.DefaultBadRowsKept, "the first ones listed, the rest counted");
        summary.BadRows.Select(b => b.Line).ShouldBe(
            export.SkippedRows.Take(ComplaintImporter.DefaultBadRowsKept).Select(LineOf));

        retention.Tracked.ShouldBeGreaterThan(rows / 4);
        retention.StillHeld.ShouldBe(0, "nothing of the rows read early is held when most of the file has been read");
    }

    [Fact]
    public async Task an_import_stopped_half_way_resumes_where_it_stopped_and_records_nothing_twice()
    {
        const int rows = 2_000;
        var export = new GeneratedCfpbExport(30_000_000, rows, repeats: false);
        var ids = Ids("cfpb", export.StoredIds);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var halfWay = new Progress(p => { if (p.RowsRead >= rows / 2) stop.Cancel(); });

        await Should.ThrowAsync<OperationCanceledException>(() =>
            Importer(batchSize: 100).ImportAsync("cfpb", Rows(export), halfWay, null, stop.Token));
        var storedFirst = await Count(fixture, "select count(*) from complaints.mt_streams where id = any(@ids)", ("ids", ids));
        var eventsFirst = await Count(fixture, "select count(*) from complaints.mt_events where stream_id = any(@ids)", ("ids", ids));
        storedFirst.ShouldBeGreaterThan(0);
        storedFirst.ShouldBeLessThan(ids.Length);

        var again = await Importer(batchSize: 100).ImportAsync("cfpb", Rows(new GeneratedCfpbExport(30_000_000, rows, repeats: false)), null, null, Ct);

        again.AlreadyImported.ShouldBe(storedFirst, "the rows stored before it stopped are recognised by their stream ids");
        again.ComplaintsCreated.ShouldBe(ids.Length - storedFirst);
        (await Count(fixture, "select count(*) from complaints.mt_streams where id = any(@ids)", ("ids", ids))).ShouldBe(ids.Length);
        (await Count(fixture, "select count(*) from complaints.mt_events where stream_id = any(@ids) and type = 'complaint_received'", ("ids", ids)))
            .ShouldBe(ids.Length, "each complaint received once");
        (await Count(fixture, "select count(*) from complaints.mt_events where stream_id = any(@ids)", ("ids", ids)))
            .ShouldBe(eventsFirst + again.EventsWritten);
    }

    [Fact]
    public async Task a_dry_run_reports_what_the_import_will_do_and_writes_nothing()
    {
        const int rows = 1_500;
        var state = () => Sql(fixture,
            "select (select count(*) from complaints.mt_events) as events, (select count(*) from complaints.mt_streams) as streams, " +
            $"(select last_value from complaints.{ComplaintStore.TrackingNumberSequence}) as tracking_number");
        var before = string.Join(",", (await state()).Single().Values);

        var dry = await Importer(batchSize: 200, dryRun: true).ImportAsync("cfpb", Rows(new GeneratedCfpbExport(40_000_000, rows)), null, null, Ct);

        string.Join(",", (await state()).Single().Values).ShouldBe(before, "no events, no streams, no tracking numbers");
        dry.DryRun.ShouldBeTrue();
        dry.ComplaintsCreated.ShouldBeGreaterThan(0);
        dry.BadRowsByReason[ComplaintImporter.RepeatedInTheFile].ShouldBeGreaterThan(0, "repeats are found without storing the first");

        var real = await Importer(batchSize: 200).ImportAsync("cfpb", Rows(new GeneratedCfpbExport(40_000_000, rows)), null, null, Ct);
        (dry.RowsRead, dry.ComplaintsCreated, dry.AlreadyImported, dry.EventsWritten, dry.BadRowCount)
            .ShouldBe((real.RowsRead, real.ComplaintsCreated, real.AlreadyImported, real.EventsWritten, real.BadRowCount));
        dry.BadRowsByReason.ShouldBe(real.BadRowsByReason, ignoreOrder: true);
        dry.BadRows.ShouldBe(real.BadRows);

        // After the import, a dry run finds every row there; a repeat's first row was stored by another run, so it is one too.
        var after = string.Join(",", (await state()).Single().Values);
        var dryAgain = await Importer(batchSize: 200, dryRun: true).ImportAsync("cfpb", Rows(new GeneratedCfpbExport(40_000_000, rows)), null, null, Ct);
        dryAgain.ComplaintsCreated.ShouldBe(0);
        dryAgain.AlreadyImported.ShouldBe(real.ComplaintsCreated + real.BadRowsByReason[ComplaintImporter.RepeatedInTheFile]);
        string.Join(",", (await state()).Single().Values).ShouldBe(after);
    }

    [Fact]
    public async Task the_first_bad_rows_are_listed_and_every_one_is_written_to_the_report()
    {
        const int rows = 1_000;
        var export = new GeneratedCfpbExport(50_000_000, rows);
        var report = Path.Combine(Path.GetTempPath(), $"bad-rows-{Guid.NewGuid():N}.csv");
        try
        {
            var summary = await Importer(batchSize: 100, dryRun: true, badRowsKept: 5, report: report)
                .ImportAsync("cfpb", Rows(export), null, null, Ct);

            var bad = export.SkippedRows.ToList();
            summary.BadRowCount.ShouldBe(bad.Count);
            summary.BadRows.Select(b => b.Line).ShouldBe(bad.Take(5).Select(LineOf));
            var written = ReadCsv(report);
            written.Count.ShouldBe(bad.Count);
            written.Select(r => int.Parse(r["line"])).Order().ShouldBe(bad.Select(LineOf));
            written.Single(r => r["line"] == LineOf(10).ToString()).ShouldBe(new Dictionary<string, string>
            {
                ["line"] = LineOf(10).ToString(), ["source_id"] = export.SourceId(10), ["reason"] = GeneratedCfpbExport.UnreadableReason,
                ["detail"] = "date_received 'someday' is not a date (M/D/YYYY, M/D/YYYY h:mm:ss AM/PM or YYYY-MM-DD)",
            });

            var (console, output) = CapturedConsole();
            ImportConsole.WriteSummary(console, summary);
            output.ToString().ShouldContain($"… and {bad.Count - 5:N0} more");
            output.ToString().ShouldContain("Dry run: nothing was written");
        }
        finally
        {
            File.Delete(report);
        }
    }

    private sealed class Progress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}

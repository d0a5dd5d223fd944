using CommandCenter.Data.Assessments;
using CommandCenter.Data.Points;
using CommandCenter.Data.Reports;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Reports;
using CommandCenter.Reports;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Reports;

/// <summary>
/// The report pipeline on the tiny test street (grids 1 and 2 in community 1, grid 3 in community 2): assembly from the
/// stored assessments, files replaced atomically, failures recorded with the old files intact, the scheduled pass with
/// its catch-up, and retention.
/// </summary>
public sealed class ReportServiceTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = BoardClock.FindZone("Asia/Shanghai");
    private static readonly Period W47 = Period.Parse("2026-W47");

    // Monday 2026-11-16 09:00 local.
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Monday.AddDays(8));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-reports-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;
    private AssessmentEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, Zone);
        _engine = new AssessmentEngine(_db.Factory, _clock, new AssessmentSettingsStore(_db.Factory, _clock));
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private ReportService Service(ReportRenderer? renderer = null, int keep = 26) =>
        new(_db.Factory, _clock, new ReportAssembler(_db.Factory, _clock), renderer ?? new ReportRenderer(),
            new ReportOptions { Folder = _folder, KeepPeriods = keep },
            new AssessmentService(_engine, _db.Factory, _clock, new AssessmentOptions { MaxCatchUpWeeks = 3 }), new AssessmentQueries(_db.Factory));

    private async Task ExecAsync(string sql, object? args = null)
    {
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    private Task IncidentAsync(int id, int grid, DateTimeOffset reported, DateTimeOffset? closed, bool? onTime, int? satisfaction, int cycle = 1, string category = "sanitation") =>
        ExecAsync(
            "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, ClosedAt, UpdatedAt, Resolution, ClosedOnTime, Satisfaction) " +
            "VALUES (@Id, @Number, @Category, @Grid, 1, 'r', 't', 'd', @Step, @Cycle, @Reported, @Due, @Closed, @Reported, @Resolution, @OnTime, @Satisfaction)",
            new
            {
                Id = id, Number = "E" + id, Category = category, Grid = grid, Step = closed is null ? 2 : 6, Cycle = cycle, Reported = reported, Due = reported.AddDays(1),
                Closed = closed, Resolution = closed is null ? 0 : 1, OnTime = onTime, Satisfaction = satisfaction,
            });

    private async Task FixtureAsync()
    {
        // W47: three incidents (one closed on time with 5, one open and overdue, one escalated and closed a day late with 2).
        await IncidentAsync(1, 1, Monday, Monday.AddHours(5), true, 5);
        await IncidentAsync(2, 1, Monday.AddDays(1), null, null, null, category: "parking");
        await IncidentAsync(3, 2, Monday, Monday.AddDays(2), false, 2, cycle: 2);
        // W46: one incident.
        await IncidentAsync(4, 3, Monday.AddDays(-3), Monday.AddDays(-3).AddHours(2), true, 4);
        await ExecAsync("INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) VALUES (1, 'fire', 0.9, @At, @At, 2, @Ack)",
            new { At = Monday, Ack = Monday.AddMinutes(10) });
        await ExecAsync("INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, AcknowledgedAt) VALUES (1, 2, @At, 31, 35, @Ack)",
            new { At = Monday, Ack = Monday.AddMinutes(30) });
    }

    private async Task FinalAssessmentsAsync(Period period)
    {
        await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(period, finalise: true);
        foreach (var kind in new[] { AssessmentKind.Grid, AssessmentKind.Community, AssessmentKind.Person })
        {
            Assert.Equal("final", (await _engine.RunAsync(kind, period)).Status);
        }
    }

    [Fact]
    public async Task Assembly_FillsTheReportFromStoredAssessmentsAndThePeriodsFigures()
    {
        await FixtureAsync();
        await FinalAssessmentsAsync(W47);

        var report = await new ReportAssembler(_db.Factory, _clock).AssembleAsync(W47, "en");

        Assert.Equal("2026-W47", report.Period.Code);
        Assert.Equal(new DateOnly(2026, 11, 16), report.Period.FirstDay);
        Assert.Equal("en", report.Culture);
        Assert.Equal(3m, report.Headline.IncidentsReported.Value);
        Assert.Equal(1m, report.Headline.IncidentsReported.Previous);
        Assert.Equal(2m, report.Headline.IncidentsClosed.Value);
        Assert.Equal(0.5m, report.Headline.OnTimeRate.Value);
        Assert.Equal(1m, report.Headline.OnTimeRate.Previous);
        Assert.Equal(1m, report.Headline.Escalations.Value);
        Assert.Equal(2m, report.Headline.Overdue.Value);
        Assert.Equal(3.5m, report.Headline.Satisfaction.Value);
        Assert.Equal(1m, report.Headline.WaterAlarms.Value);
        Assert.Equal(1m, report.Headline.CameraAlerts.Value);
        Assert.Equal(3, report.GridRanking.Count);
        Assert.Equal(2, report.CommunityRanking.Count);
        Assert.Contains(report.GridRanking, r => r.Indicators.ContainsKey(ReportIndicator.ClosureRate));
        Assert.Equal([("parking", 1, 0), ("sanitation", 2, 1)],
            report.IncidentsByCategory.Select(c => (c.Category, c.Count, c.PreviousCount)).OrderBy(c => c.Category));
        Assert.Equal(3, report.IncidentsByCycle.Sum(c => c.Count));
        Assert.Equal(["E2", "E3"], report.OverdueIncidents.Select(i => i.Number).Order());
        Assert.Equal(TimeSpan.FromDays(1), report.OverdueIncidents.Single(i => i.Number == "E3").Late);
        Assert.Equal(["E3"], report.EscalatedIncidents.Select(i => i.Number));
        Assert.Equal(35m, report.Alarms.TopWaterAlarms.Single().Value);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Alarms.TopWaterAlarms.Single().AckAfter);
        Assert.Equal("fire", report.Alarms.TopCameraAlerts.Single().Detail);
    }

    [Fact]
    public async Task Generate_WritesThreeFilesWithStableNames_AndRecordsSizes()
    {
        await FixtureAsync();
        await FinalAssessmentsAsync(W47);
        var service = Service();
        var events = new List<ReportView>();
        service.Changed += events.Add;

        var (queued, ok) = await service.RequestAsync(W47, "zh-CN", "leader");
        Assert.True(ok);
        Assert.Equal("queued", queued.Status);
        Assert.True(service.Queue.TryRead(out var id));
        var done = await service.GenerateAsync(id);

        Assert.True(done.Status == "done", done.Error);
        Assert.Equal(100, done.Progress);
        Assert.Equal(["assessment-2026-W47-zh-CN.pdf", "assessment-2026-W47-zh-CN.xlsx", "assessment-2026-W47-zh-CN.csv"], done.Files.Select(f => f.FileName));
        foreach (var f in done.Files)
        {
            Assert.Equal(new FileInfo(Path.Combine(_folder, f.FileName)).Length, f.Size);
        }

        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(_folder, done.Files[0].FileName)), 0, 4));
        Assert.Contains(events, e => e.Status == "running" && e.Progress is > 0 and < 100);
        Assert.Equal("done", events[^1].Status);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void WriteAtomically_KeepsTheOldFileWhenWritingFails()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "assessment-2026-W47-en.pdf");
        File.WriteAllText(path, "old complete file");

        Assert.Throws<InvalidOperationException>(() => ReportService.WriteAtomically(path, s =>
        {
            s.Write("half a new fi"u8);
            throw new InvalidOperationException("renderer failed");
        }));

        Assert.Equal("old complete file", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));

        var size = ReportService.WriteAtomically(path, s => s.Write("new"u8));
        Assert.Equal(3, size);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AFailedRun_IsRecorded_AndLeavesThePreviousFilesIntact()
    {
        await FinalAssessmentsAsync(W47);
        var good = await Service().GenerateAsync((await Service().RequestAsync(W47, "en", "leader")).Report.Id);
        Assert.Equal("done", good.Status);
        var pdf = Path.Combine(_folder, "assessment-2026-W47-en.pdf");
        var before = File.ReadAllBytes(pdf);

        var broken = Service(new ReportRenderer(new ReportFontOptions { CjkFontPath = Path.Combine(_folder, "missing.ttf") }));
        var failed = await broken.GenerateAsync((await broken.RequestAsync(W47, "en", "leader")).Report.Id);

        Assert.Equal("failed", failed.Status);
        Assert.False(string.IsNullOrEmpty(failed.Error));
        Assert.Empty(failed.Files);
        Assert.Equal(before, File.ReadAllBytes(pdf));
        Assert.Equal("done", (await broken.GetAsync(good.Id))!.Status);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public async Task Schedule_WaitsForFinalAssessments_ThenMakesTheNewestFinishedWeekOnce()
    {
        // Tuesday of W48: W47 has ended, but its points are not final yet.
        var service = Service();
        Assert.Null(await service.RunScheduledAsync(PeriodKind.Week));
        Assert.Empty(await service.ListAsync());

        await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(W47, finalise: true);
        var made = await service.RunScheduledAsync(PeriodKind.Week);

        Assert.NotNull(made);
        Assert.Equal(("2026-W47", "done", "zh-CN", "schedule"), (made.Period, made.Status, made.Culture, made.RequestedBy));
        Assert.Null(await service.RunScheduledAsync(PeriodKind.Week));
        Assert.Single(await service.ListAsync());
    }

    [Fact]
    public async Task CatchUp_AfterDowntime_MakesTheNewestFinishedWeekWithoutAReport()
    {
        // Down from W47 until Tuesday of W50: the first run after start makes W49 (the newest finished week).
        _time.SetUtcNow(Monday.AddDays(22));
        foreach (var w in new[] { "2026-W47", "2026-W48", "2026-W49" })
        {
            await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(Period.Parse(w), finalise: true);
        }

        var made = await Service().RunScheduledAsync(PeriodKind.Week);

        Assert.Equal("2026-W49", made!.Period);
        Assert.Equal("done", made.Status);
    }

    [Fact]
    public async Task Retention_KeepsTheNewestPeriodsFiles_AndMarksOlderReportsRemoved()
    {
        var service = Service(keep: 2);
        var ids = new List<long>();
        foreach (var w in new[] { "2026-W45", "2026-W46", "2026-W47" })
        {
            var r = (await service.RequestAsync(Period.Parse(w), "en", "leader")).Report;
            ids.Add((await service.GenerateAsync(r.Id)).Id);
        }

        var all = await service.ListAsync();
        Assert.Equal("removed", all.Single(r => r.Period == "2026-W45").Status);
        Assert.Equal(["done", "done"], all.Where(r => r.Period != "2026-W45").Select(r => r.Status));
        Assert.False(File.Exists(Path.Combine(_folder, "assessment-2026-W45-en.pdf")));
        Assert.True(File.Exists(Path.Combine(_folder, "assessment-2026-W47-en.pdf")));
        Assert.Null(await service.FilePathAsync(ids[0], "pdf"));
        Assert.NotNull(await service.FilePathAsync(ids[2], "xlsx"));
    }
}

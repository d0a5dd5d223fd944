using System.Threading.Channels;
using CommandCenter.Data.Assessments;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Reports;
using Dapper;

namespace CommandCenter.Data.Reports;

/// <summary>
/// The report pipeline: records a report (queued), makes it in the background (assemble → PDF, XLSX, CSV, each written
/// to a temporary name in the report folder, flushed and moved over the stable name, so a reader never sees half a
/// file and a failed run leaves the old files intact), keeps the newest <see cref="ReportOptions.KeepPeriods"/> periods'
/// files, and finds the newest finished week or month without a report (the schedule's catch-up).
/// </summary>
public sealed class ReportService(DbConnectionFactory db, BoardClock clock, ReportAssembler assembler, ReportRenderer renderer, ReportOptions options,
    AssessmentService assessments, AssessmentQueries assessmentQueries)
{
    /// <summary>One report is made at a time (see <see cref="GenerateAsync"/>).</summary>
    private readonly SemaphoreSlim _making = new(1, 1);

    private readonly Channel<long> queue = Channel.CreateBounded<long>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private static readonly ReportFormat[] Formats = [ReportFormat.Pdf, ReportFormat.Xlsx, ReportFormat.Csv];

    /// <summary>Raised whenever a report's record changes (queued, progress, done, failed, removed): the Reports page listens.</summary>
    public event Action<ReportView>? Changed;

    public ReportOptions Options => options;

    /// <summary>The folder the files are written to (created on first use).</summary>
    public string Folder => Path.GetFullPath(options.Folder);

    public ChannelReader<long> Queue => queue.Reader;

    public static string CultureOf(string? culture) =>
        culture is null ? "zh-CN" : culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";

    /// <summary>Records a report as queued and hands it to the background worker; false when the queue is full.</summary>
    public async Task<(ReportView Report, bool Queued)> RequestAsync(Period period, string culture, string requestedBy, CancellationToken ct = default)
    {
        var id = await InsertAsync(period, CultureOf(culture), requestedBy, ct).ConfigureAwait(false);
        var queued = queue.Writer.TryWrite(id);
        if (!queued)
        {
            await FailAsync(id, "The report queue is full; try again later.", ct).ConfigureAwait(false);
        }

        var view = (await GetAsync(id, ct).ConfigureAwait(false))!;
        Changed?.Invoke(view);
        return (view, queued);
    }

    public async Task<IReadOnlyList<ReportView>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<ReportRow>(Cmd(ReportSql.List, null, ct)).ConfigureAwait(false)).Select(r => r.View()).ToList();
    }

    public async Task<ReportView?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryFirstOrDefaultAsync<ReportRow>(Cmd(ReportSql.Get, new { Id = id }, ct)).ConfigureAwait(false))?.View();
    }

    /// <summary>The path of a done report's file of a format, or null (no such report, not done, or the file is gone).</summary>
    public async Task<string?> FilePathAsync(long id, string format, CancellationToken ct = default)
    {
        var report = await GetAsync(id, ct).ConfigureAwait(false);
        var file = report?.Files.FirstOrDefault(f => f.Format == format);
        if (file is null) return null;
        var path = Path.Combine(Folder, file.FileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Makes a recorded report now (the worker and the scheduled job call this); failures are recorded, not thrown.</summary>
    public async Task<ReportView> GenerateAsync(long id, CancellationToken ct = default)
    {
        var report = await GetAsync(id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"No report {id}.");
        // One report made at a time: its queries and rendering take a core for a second or two, and the weekly and the
        // monthly report fall due together; two at once left the API and the wall no CPU on a 2-core node (measured:
        // actions fell from ~1,400/s to under 100/s for a second).
        await _making.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await MakeAsync(id, report, ct).ConfigureAwait(false);
        }
        finally
        {
            _making.Release();
        }
    }

    private async Task<ReportView> MakeAsync(long id, ReportView report, CancellationToken ct)
    {
        try
        {
            var period = Period.Parse(report.Period);
            await ProgressAsync(id, ReportStatus.Running, 5, ct).ConfigureAwait(false);
            var model = await assembler.AssembleAsync(period, report.Culture, ct).ConfigureAwait(false);
            await ProgressAsync(id, ReportStatus.Running, 25, ct).ConfigureAwait(false);
            Directory.CreateDirectory(Folder);
            var sizes = new Dictionary<ReportFormat, (string Name, long Size)>();
            var step = 0;
            foreach (var format in Formats)
            {
                var name = ReportRenderer.FileName(model, format);
                sizes[format] = (name, WriteAtomically(Path.Combine(Folder, name), s => renderer.Render(model, format, s)));
                step++;
                await ProgressAsync(id, ReportStatus.Running, 25 + 70 * step / Formats.Length, ct).ConfigureAwait(false);
            }

            await db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync(Cmd(ReportSql.Done, new
                {
                    Id = id,
                    MadeAt = clock.Now,
                    PdfFile = sizes[ReportFormat.Pdf].Name,
                    PdfSize = sizes[ReportFormat.Pdf].Size,
                    XlsxFile = sizes[ReportFormat.Xlsx].Name,
                    XlsxSize = sizes[ReportFormat.Xlsx].Size,
                    CsvFile = sizes[ReportFormat.Csv].Name,
                    CsvSize = sizes[ReportFormat.Csv].Size,
                }, ct, tx)).ConfigureAwait(false);
                return await c.ExecuteAsync(Cmd(ReportSql.Supersede, new { Id = id, report.Period, report.Culture }, ct, tx)).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            await ApplyRetentionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(id, ex.Message, CancellationToken.None).ConfigureAwait(false);
        }

        var view = (await GetAsync(id, CancellationToken.None).ConfigureAwait(false))!;
        Changed?.Invoke(view);
        return view;
    }

    /// <summary>
    /// Writes a file so a reader sees either the old file or the whole new one: to a temporary name in the same folder,
    /// flushed to disk, then moved over the target. When writing fails the temporary file is removed and the old file stays.
    /// </summary>
    public static long WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            long size;
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
                size = stream.Length;
            }

            File.Move(temp, path, overwrite: true);
            return size;
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // best effort: a stray temporary file is harmless (hidden name, never served)
            }

            throw;
        }
    }

    /// <summary>
    /// Keeps the files of the newest <see cref="ReportOptions.KeepPeriods"/> weeks and months with a done report; older
    /// reports' files are deleted and their records kept with status removed. Returns how many reports were removed.
    /// </summary>
    public async Task<int> ApplyRetentionAsync(CancellationToken ct = default)
    {
        var removed = new List<ReportRow>();
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            foreach (var kind in new[] { 1, 2 })
            {
                var rows = (await c.QueryAsync<ReportRow>(Cmd(ReportSql.DoneOfKind, new { Kind = kind }, ct)).ConfigureAwait(false)).ToList();
                var keep = rows.Select(r => r.Period).Distinct().OrderByDescending(p => Period.Parse(p)).Take(Math.Max(1, options.KeepPeriods)).ToHashSet();
                removed.AddRange(rows.Where(r => !keep.Contains(r.Period)));
            }
        }

        foreach (var r in removed)
        {
            foreach (var f in new[] { r.PdfFile, r.XlsxFile, r.CsvFile })
            {
                if (f is not null) File.Delete(Path.Combine(Folder, f));
            }

            await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(ReportSql.MarkRemoved, new { r.Id }, ct, tx)), ct).ConfigureAwait(false);
            r.Status = (int)ReportStatus.Removed;
            Changed?.Invoke(r.View());
        }

        return removed.Count;
    }

    /// <summary>
    /// The scheduled pass for a kind: the newest finished week (or month) without a done report is made, once its
    /// assessments are final (a provisional one is finalised by running the assessments; if it still is not final, the
    /// next run tries again). Also the catch-up at start. Returns the report made, or null.
    /// </summary>
    public async Task<ReportView?> RunScheduledAsync(PeriodKind kind, CancellationToken ct = default)
    {
        var period = Period.Of(kind, clock.Today).Previous();
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            if (await c.ExecuteScalarAsync<int>(Cmd(ReportSql.HasDone, new { Period = period.ToString() }, ct)).ConfigureAwait(false) > 0) return null;
        }

        if (!await IsFinalAsync(period, ct).ConfigureAwait(false))
        {
            await assessments.RunAsync(ct).ConfigureAwait(false);
            if (!await IsFinalAsync(period, ct).ConfigureAwait(false)) return null;
        }

        var id = await InsertAsync(period, CultureOf(options.Culture), "schedule", ct).ConfigureAwait(false);
        return await GenerateAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>At start: reports left queued or running by a stopped process are marked failed.</summary>
    public async Task FailInterruptedAsync(CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(ReportSql.FailInterrupted, new { Error = "The server stopped while the report was being made." }, ct, tx)), ct)
            .ConfigureAwait(false);

    private async Task<bool> IsFinalAsync(Period period, CancellationToken ct)
    {
        var view = await assessmentQueries.GetAsync(AssessmentKind.Grid, period, Domain.Model.Actor.SystemActor, ct).ConfigureAwait(false);
        return view?.Status == "final";
    }

    private async Task<long> InsertAsync(Period period, string culture, string requestedBy, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(Cmd(db.Pick(ReportSql.Insert_Sqlite, ReportSql.Insert_SqlServer), new
        {
            Period = period.ToString(),
            Kind = period.Kind == PeriodKind.Week ? 1 : 2,
            Culture = culture,
            RequestedAt = clock.Now,
            RequestedBy = requestedBy,
        }, ct, tx)), ct).ConfigureAwait(false);

    private async Task ProgressAsync(long id, ReportStatus status, int progress, CancellationToken ct)
    {
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(ReportSql.SetProgress, new { Id = id, Status = (int)status, Progress = progress }, ct, tx)), ct).ConfigureAwait(false);
        if (Changed is not null && await GetAsync(id, ct).ConfigureAwait(false) is { } view) Changed.Invoke(view);
    }

    private async Task FailAsync(long id, string error, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(ReportSql.Failed, new { Id = id, Error = error.Length > 2000 ? error[..2000] : error }, ct, tx)), ct)
            .ConfigureAwait(false);

    private CommandDefinition Cmd(string sql, object? args, CancellationToken ct, System.Data.Common.DbTransaction? tx = null) =>
        new(sql, args, tx, db.CommandTimeout, cancellationToken: ct);
}

public static class ReportServiceCollectionExtensions
{
    /// <summary>The report pipeline. Options default unless the host registers them first.</summary>
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddReportsData(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(services, new ReportOptions());
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(services, new ReportRenderer());
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<ReportAssembler>(services);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<ReportService>(services);
        return services;
    }
}

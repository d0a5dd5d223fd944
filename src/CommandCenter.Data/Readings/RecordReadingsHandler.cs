using System.Data;
using System.Data.Common;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Ingestion;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using Dapper;

namespace CommandCenter.Data.Readings;

/// <summary>
/// Stores a batch of water-depth readings in one transaction. A batch with any invalid reading is refused whole
/// (400, each reading's errors by path); a reading that repeats one stored already (same point, same instant) is
/// answered as a duplicate and stored once, while the others beside it are kept.
/// </summary>
public sealed class RecordReadingsHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock,
    WaterAlarmTracker? alarms = null, GroupCommitWriter? writer = null)
{
    private readonly WaterAlarmTracker _alarms = alarms ?? new WaterAlarmTracker(db);

    /// <summary>The shared group-commit queue; a handler made by hand (tests) gets its own.</summary>
    private readonly GroupCommitWriter _writer = writer ?? new GroupCommitWriter(db, new GroupCommitOptions());

    public const int MaxPerBatch = 5000;
    private readonly Lock _pointsLock = new();
    private Dictionary<string, (int Id, int CommunityId, bool Retired)>? _points;

    public async Task<ReadingsAccepted> HandleAsync(RecordReadings input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        if (input.Readings is null || input.Readings.Count == 0)
        {
            throw InputValidationException.For("readings", "must hold at least one reading.");
        }

        if (input.Readings.Count > MaxPerBatch)
        {
            throw InputValidationException.For("readings", $"must hold at most {MaxPerBatch} readings per batch.");
        }

        var points = await PointsByCodeAsync(ct).ConfigureAwait(false);
        var v = new Validator();
        var rows = new List<Reading>(input.Readings.Count);
        for (var i = 0; i < input.Readings.Count; i++)
        {
            var r = input.Readings[i];
            var path = $"readings[{i}].";
            if (r is null)
            {
                v.Add($"readings[{i}]", "must be an object.");
                continue;
            }

            var code = v.RequiredText(path + "sensorId", r.SensorId, 64);
            // Finite (NaN and ±Infinity are refused by name) and never negative zero: -0 is stored, and shown, as 0.
            var depth = v.Finite(path + "depthCm", v.Required(path + "depthCm", r.DepthCm));
            if (depth is < 0 or > 500) v.Add(path + "depthCm", "must be between 0 and 500.");
            var at = v.Instant(path + "measuredAt", r.MeasuredAt, now, Validator.MaxAge);
            if (code is null) continue;
            if (!points.TryGetValue(code, out var p) || !actor.Sees(p.CommunityId)) v.Add(path + "sensorId", $"'{Validator.Quote(code)}' is not a known sensor.");
            else if (p.Retired) v.Add(path + "sensorId", $"'{Validator.Quote(code)}' is retired: readings for it are no longer accepted.");
            else if (depth is not null) rows.Add(new Reading(p.Id, depth.Value, at));
        }

        v.ThrowIfInvalid();
        // Group commit (Ingestion/GroupCommitWriter): the batch shares a transaction with others waiting; this returns after
        // the commit. Over HTTP a full queue is refused (503), over MQTT it waits (Admission). The level transitions the
        // stored readings cause are written as WaterAlarm rows in the same transaction.
        long?[] ids;
        List<Reading> stored;
        IReadOnlyList<WaterAlarmChange> changes;
        Func<DbConnection, DbTransaction, Task<((long?[], List<Reading>), IReadOnlyList<WaterAlarmChange>)>> work =
            (c, tx) => _alarms.StoreAndApplyAsync(c, tx, async () =>
            {
                var inserted = await InsertAsync(c, tx, rows, now, CancellationToken.None).ConfigureAwait(false);
                var kept = rows.Where((_, i) => inserted[i] is not null).ToList();
                return ((inserted, kept), (IReadOnlyList<Reading>)kept);
            }, CancellationToken.None);
        try
        {
            ((ids, stored), changes) = await (input.Admission == WriteAdmission.Wait
                ? _writer.WriteAsync(rows.Count, work, ct)
                : _writer.WriteOrRefuseAsync(rows.Count, work)).ConfigureAwait(false);
        }
        catch (OverloadedException)
        {
            throw; // nothing was written or applied
        }
        catch
        {
            _alarms.Invalidate(); // the machine's state may be ahead of what was committed
            throw;
        }

        var results = new string[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            results[i] = ids[i] is null ? ReadingOutcome.Duplicate : ReadingOutcome.Accepted;
        }

        if (stored.Count > 0)
        {
            sink.Publish(new ReadingsEvent(stored) { Sequence = ids.Max() ?? 0, Alarms = changes });
        }

        return new ReadingsAccepted(stored.Count, rows.Count - stored.Count, results);
    }

    /// <summary>One prepared command for the whole batch: readings arrive by the thousand in a rainstorm.</summary>
    private async Task<long?[]> InsertAsync(DbConnection c, DbTransaction tx, List<Reading> rows, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var point = Parameter(cmd, "@WaterPointId", DbType.Int32);
        var depth = Parameter(cmd, "@DepthCm", DbType.Double);
        var measured = Parameter(cmd, "@MeasuredAt", DbType.DateTimeOffset);
        var received = Parameter(cmd, "@ReceivedAt", DbType.DateTimeOffset);
        db.SetInstant(received, now);
        var ids = new long?[rows.Count];
        if (c is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // SQLite runs in-process and synchronously: no reader per row (the RETURNING clause is left out) and no task
            // per row; a row that was stored changed one row, and its id is the connection's last inserted rowid.
            cmd.CommandText = ReadingSql.InsertOrIgnore_Sqlite;
            cmd.Prepare();
            for (var i = 0; i < rows.Count; i++)
            {
                point.Value = rows[i].WaterPointId;
                depth.Value = rows[i].DepthCm;
                db.SetInstant(measured, rows[i].MeasuredAt);
                ids[i] = cmd.ExecuteNonQuery() == 1 ? SQLitePCL.raw.sqlite3_last_insert_rowid(sqlite.Handle) : null;
            }

            return ids;
        }

        cmd.CommandText = ReadingSql.Insert_SqlServer;
        for (var i = 0; i < rows.Count; i++)
        {
            point.Value = rows[i].WaterPointId;
            depth.Value = rows[i].DepthCm;
            db.SetInstant(measured, rows[i].MeasuredAt);
            var id = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            ids[i] = id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private static DbParameter Parameter(DbCommand cmd, string name, DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        cmd.Parameters.Add(p);
        return p;
    }

    private async Task<Dictionary<string, (int Id, int CommunityId, bool Retired)>> PointsByCodeAsync(CancellationToken ct)
    {
        lock (_pointsLock)
        {
            if (_points is not null) return _points;
        }

        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var map = (await c.QueryAsync<(int Id, string Code, int CommunityId, long Retired)>(new CommandDefinition(ReadingSql.PointsByCode, cancellationToken: ct)).ConfigureAwait(false))
            .GroupBy(p => p.Code, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (g.First().Id, g.First().CommunityId, g.First().Retired != 0), StringComparer.OrdinalIgnoreCase);
        lock (_pointsLock)
        {
            _points = map;
        }

        return map;
    }

    /// <summary>Forgets the cached sensor codes (after an import or seeding; the device registry calls it on every change).</summary>
    public void InvalidateReferenceData()
    {
        lock (_pointsLock)
        {
            _points = null;
        }

        _alarms.Invalidate();
    }
}

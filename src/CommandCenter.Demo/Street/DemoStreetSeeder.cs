using System.Data.Common;
using System.Diagnostics;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Demo.Street;

/// <summary>
/// Fills an empty database with a demo street at the scale of Longshan Street (seed 002): 6 communities,
/// 52 grids (44 basic, 8 exclusive) tiling the street, 453 buildings, 1,194 units, about 13,000 households,
/// 1,100 merchants, grid staff, 220 cameras, 12 waterlogging points, and 90 days of history up to
/// <see cref="BoardClock.Now"/>. Deterministic for a seed and a clock time. Everything is written in one
/// transaction: a street is either fully there or not at all.
/// </summary>
public sealed class DemoStreetSeeder(DbConnectionFactory db, BoardClock clock, ILogger<DemoStreetSeeder> logger)
{
    public const string StreetCode = DemoStreetGenerator.StreetCode;

    /// <summary>Seeds the demo street if table Street is empty. Returns false (and writes nothing) if a street exists.</summary>
    public async Task<bool> SeedIfEmptyAsync(int seed = 2022, CancellationToken ct = default)
    {
        if (await StreetExistsAsync(ct).ConfigureAwait(false))
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        var data = DemoStreetGenerator.Generate(seed, clock);
        var generated = watch.Elapsed;

        var seeded = await db.WriteAsync(async (c, tx) =>
        {
            // Checked again inside the transaction: another node may have seeded meanwhile.
            if (await c.ExecuteScalarAsync<long>(Cmd(DemoStreetSql.CountStreets, null, tx, ct)).ConfigureAwait(false) > 0)
            {
                return false;
            }

            await WriteAsync(c, tx, data, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);

        if (!seeded)
        {
            return false;
        }

        logger.LogInformation(
            "Seeded demo street {Street} (seed {Seed}) in {Elapsed} ms (generation {Generated} ms): {Communities} communities, {Grids} grids, " +
            "{Buildings} buildings, {Units} units, {Households} households, {Merchants} merchants, {Staff} staff, {Cameras} cameras, " +
            "{WaterPoints} waterlogging points, {Incidents} incidents, {Alerts} camera alerts, {WaterAlarms} waterlogging alarms, {Readings} sensor readings, " +
            "{Patrols} patrol check-ins, {Visits} household visits",
            data.Street.NameZh, seed, watch.ElapsedMilliseconds, (long)generated.TotalMilliseconds, data.Communities.Count, data.Grids.Count,
            data.Buildings.Count, data.Units.Count, data.Households.Count, data.Merchants.Count, data.Staff.Count, data.Cameras.Count,
            data.WaterPoints.Count, data.Incidents.Count, data.Alerts.Count, data.WaterAlarms.Count, data.Readings.Count, data.Patrols.Count, data.Visits.Count);
        return true;
    }

    /// <summary>
    /// Gives the seeded history's acknowledgements (camera alerts, waterlogging alarms) their author: the duty operator's
    /// account <paramref name="userName"/>, once it exists (the demo accounts are made after the street). Only rows
    /// acknowledged by nobody at or before <paramref name="seededAt"/>; one transaction. Returns the rows attributed
    /// (0 when there is no such account).
    /// </summary>
    public async Task<int> AttributeAcknowledgementsAsync(string userName, DateTimeOffset seededAt, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        return await db.WriteAsync(async (c, tx) =>
        {
            var userId = await c.ExecuteScalarAsync<long?>(Cmd(DemoStreetSql.DutyOperatorId, new { UserName = userName.Trim() }, tx, ct)).ConfigureAwait(false);
            if (userId is null) return 0;
            var args = new { UserId = userId, SeededAt = seededAt };
            return await c.ExecuteAsync(Cmd(DemoStreetSql.AttributeAlertAcknowledgements, args, tx, ct)).ConfigureAwait(false)
                + await c.ExecuteAsync(Cmd(DemoStreetSql.AttributeWaterAcknowledgements, args, tx, ct)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    private async Task<bool> StreetExistsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(Cmd(DemoStreetSql.CountStreets, null, null, ct)).ConfigureAwait(false) > 0;
    }

    private async Task WriteAsync(DbConnection c, DbTransaction tx, DemoStreetData data, CancellationToken ct)
    {
        // Dapper runs one prepared command per row of a list: with SQLite inside one transaction that is fast.
        async Task Batch(string sql, System.Collections.IEnumerable rows)
        {
            var started = Stopwatch.GetTimestamp();
            var n = await c.ExecuteAsync(Cmd(sql, rows, tx, ct)).ConfigureAwait(false);
            logger.LogDebug("Demo street: {Rows} row(s) in {Elapsed} ms: {Sql}", n, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, sql[..Math.Min(40, sql.Length)]);
        }

        await Batch(DemoStreetSql.InsertStreet, new[] { data.Street }).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertCommunity, data.Communities).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertGrid, data.Grids).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertBuilding, data.Buildings).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertUnit, data.Units).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertHousehold, data.Households).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertMerchant, data.Merchants).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertStaff, data.Staff).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertStaffAssignment, data.Assignments).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertCamera, data.Cameras).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertWaterPoint, data.WaterPoints).ConfigureAwait(false);

        // Incident ids: Incident.Id is AUTOINCREMENT (SQLite) / IDENTITY (SQL Server). A running counter from 1
        // would be right on a fresh database, but not where ids were consumed before (SQL Server does not give back
        // identity values of a rolled-back transaction, e.g. a failed earlier seeding). So each incident is inserted
        // on its own, in report order, with a placeholder number; its real number is computed from the id the engine
        // returned, exactly as ReportIncidentHandler does, and set in one batch afterwards.
        var insert = db.Pick(DemoStreetSql.InsertIncident_Sqlite, DemoStreetSql.InsertIncident_SqlServer);
        var numbers = new List<(long Id, string Number)>(data.Incidents.Count);
        var steps = new List<StepLogRow>(data.Incidents.Count * 6);
        for (var k = 0; k < data.Incidents.Count; k++)
        {
            var plan = data.Incidents[k];
            plan.Row.Number = "pending-" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = await c.ExecuteScalarAsync<long>(Cmd(insert, plan.Row, tx, ct)).ConfigureAwait(false);
            plan.Row.Number = IncidentNumbers.Format(clock.LocalDate(plan.Row.ReportedAt), id);
            numbers.Add((id, plan.Row.Number));
            foreach (var s in plan.Steps) steps.Add(new StepLogRow(id, (int)s.Step, s.At, s.Actor, s.Note));
            if (plan.ConvertedFrom is { } alert) alert.IncidentId = id;
        }

        await Batch(DemoStreetSql.SetIncidentNumber, numbers.Select(n => new { n.Id, n.Number })).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertStepLog, steps).ConfigureAwait(false);
        // The loop's columns (migration 0008) from the generated cycle and step: the holder unit, how the closed ones ended.
        await c.ExecuteAsync(Cmd(CommandCenter.Data.Incidents.IncidentLoopSql.FillHolders, null, tx, ct)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(CommandCenter.Data.Incidents.IncidentLoopSql.FillResolutions, null, tx, ct)).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertAlert, data.Alerts).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertReading, data.Readings).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertWaterAlarm, data.WaterAlarms).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertPatrol, data.Patrols).ConfigureAwait(false);
        await Batch(DemoStreetSql.InsertVisit, data.Visits).ConfigureAwait(false);
    }

    private CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, commandTimeout: Math.Max(db.CommandTimeout, 300), cancellationToken: ct);
}

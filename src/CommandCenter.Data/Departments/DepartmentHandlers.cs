using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;

namespace CommandCenter.Data.Departments;

/// <summary>The street's departments, for every reader (dispatch choices, the queue's unit filter, the admin page).</summary>
public sealed class DepartmentQueries(DbConnectionFactory db)
{
    public async Task<IReadOnlyList<Department>> ListAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<DepartmentRow>(new CommandDefinition(LoopSettingsSql.Departments, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToDepartment()).Where(d => !activeOnly || d.Active).ToList();
    }

    public async Task<Department?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<DepartmentRow>(new CommandDefinition(LoopSettingsSql.DepartmentById, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false))?.ToDepartment();
    }
}

internal sealed class DepartmentRow
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public bool Active { get; init; }
    public int SortOrder { get; init; }

    public Department ToDepartment() => new(Id, Code, NameEn, NameZh, Active, SortOrder);
}

/// <summary>Adds a department (Admin), audited in the same transaction. A code in use → 409.</summary>
public sealed class AddDepartmentHandler(DbConnectionFactory db, TimeProvider time)
{
    public async Task<Department> HandleAsync(DepartmentBody body, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(actor);
        var d = body.Validate(creating: true);
        var now = time.GetUtcNow();
        var id = await db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition(LoopSettingsSql.DepartmentCodeExists, new { d.Code }, tx, cancellationToken: ct)).ConfigureAwait(false) > 0)
            {
                throw new ConflictException("code", $"A department with the code '{d.Code}' exists already.");
            }

            var newId = await c.ExecuteScalarAsync<int>(new CommandDefinition(db.Pick(LoopSettingsSql.InsertDepartment_Sqlite, LoopSettingsSql.InsertDepartment_SqlServer),
                new { d.Code, d.NameEn, d.NameZh, d.SortOrder }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "department.added", "department", newId, new { code = d.Code, nameEn = d.NameEn, nameZh = d.NameZh, sortOrder = d.SortOrder }, ct).ConfigureAwait(false);
            return newId;
        }, ct).ConfigureAwait(false);
        return new Department(id, d.Code!, d.NameEn, d.NameZh, true, d.SortOrder);
    }
}

/// <summary>Edits a department's names and order (Admin), audited. Null when unknown.</summary>
public sealed class EditDepartmentHandler(DbConnectionFactory db, TimeProvider time)
{
    public async Task<Department?> HandleAsync(int id, DepartmentBody body, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(actor);
        var d = body.Validate(creating: false);
        var now = time.GetUtcNow();
        return await db.WriteAsync(async (c, tx) =>
        {
            var before = await c.QuerySingleOrDefaultAsync<DepartmentRow>(new CommandDefinition(LoopSettingsSql.DepartmentById, new { Id = id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (before is null) return null;
            await c.ExecuteAsync(new CommandDefinition(LoopSettingsSql.UpdateDepartment, new { Id = id, d.NameEn, d.NameZh, d.SortOrder }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "department.edited", "department", id,
                new { before = new { before.NameEn, before.NameZh, before.SortOrder }, after = new { d.NameEn, d.NameZh, d.SortOrder } }, ct).ConfigureAwait(false);
            return new Department(id, before.Code, d.NameEn, d.NameZh, before.Active, d.SortOrder);
        }, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Deactivates (or reactivates) a department (Admin), audited. The street center cannot be deactivated (the large
/// cycle's default unit), nor a department that holds open incidents (dispatch them elsewhere first): 409.
/// An inactive department takes no new dispatch or escalation; its history stays.
/// </summary>
public sealed class SetDepartmentActiveHandler(DbConnectionFactory db, TimeProvider time)
{
    public async Task<Department?> HandleAsync(int id, bool active, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        return await db.WriteAsync(async (c, tx) =>
        {
            var before = await c.QuerySingleOrDefaultAsync<DepartmentRow>(new CommandDefinition(LoopSettingsSql.DepartmentById, new { Id = id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (before is null) return null;
            if (before.Active == active) return before.ToDepartment();
            if (!active)
            {
                if (before.Code == DepartmentBody.CenterCode)
                {
                    throw new ConflictException("id", "The street command center is the large cycle's default unit and cannot be deactivated.");
                }

                var open = await c.ExecuteScalarAsync<long>(new CommandDefinition(LoopSettingsSql.DepartmentOpenIncidents, new { Id = id }, tx, cancellationToken: ct)).ConfigureAwait(false);
                if (open > 0)
                {
                    throw new ConflictException("id", $"The department holds {open} open incident(s); dispatch or close them first.");
                }
            }

            await c.ExecuteAsync(new CommandDefinition(LoopSettingsSql.SetDepartmentActive, new { Id = id, Active = active }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, active ? "department.activated" : "department.deactivated", "department", id, new { before.Code }, ct).ConfigureAwait(false);
            return before.ToDepartment() with { Active = active };
        }, ct).ConfigureAwait(false);
    }
}

/// <summary>The deadline hours per category and cycle: every category × cycle, stored or default.</summary>
public sealed class DeadlineQueries(DbConnectionFactory db)
{
    public async Task<IReadOnlyList<DeadlineSettingRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var stored = (await c.QueryAsync<(string Category, int Cycle, int Hours)>(new CommandDefinition(LoopSettingsSql.Deadlines, cancellationToken: ct)).ConfigureAwait(false))
            .ToDictionary(r => (r.Category, (IncidentCycle)r.Cycle), r => r.Hours);
        return DeadlineTable.Defaults()
            .Select(d => stored.TryGetValue((d.Category, d.Cycle), out var h)
                ? new DeadlineSettingRow(d.Category, d.Cycle, h, h == d.Hours)
                : new DeadlineSettingRow(d.Category, d.Cycle, d.Hours, true))
            .ToList();
    }
}

/// <summary>
/// Sets the hours of a category in a cycle (Admin), audited in the same transaction; the loop's settings cache is
/// cleared, so the next dispatch, escalation and deadline-job run use the new hours. Deadlines already set stay.
/// </summary>
public sealed class SetDeadlineHandler(DbConnectionFactory db, TimeProvider time, LoopSettingsProvider settings)
{
    public async Task<DeadlineSettingRow> HandleAsync(DeadlineBody body, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(actor);
        var (category, cycle, hours) = body.Validate();
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            var args = new { Category = category, Cycle = (int)cycle, Hours = hours, At = now };
            var before = await c.ExecuteScalarAsync<int?>(new CommandDefinition(LoopSettingsSql.DeadlineHours, args, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (before == hours) return 0;
            await c.ExecuteAsync(new CommandDefinition(before is null ? LoopSettingsSql.InsertDeadline : LoopSettingsSql.UpdateDeadline, args, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "deadline.set", "deadline", category + ":" + cycle.ToString().ToLowerInvariant(),
                new { category, cycle = cycle.ToString(), hours, previous = before }, ct).ConfigureAwait(false);
            return 1;
        }, ct).ConfigureAwait(false);
        settings.Invalidate();
        return new DeadlineSettingRow(category, cycle, hours, hours == DeadlineTable.DefaultHours(category, cycle));
    }
}

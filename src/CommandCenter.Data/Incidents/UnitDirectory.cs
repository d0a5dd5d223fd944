using CommandCenter.Data.Infrastructure;
using Dapper;

namespace CommandCenter.Data.Incidents;

/// <summary>A street department as the console's pickers show it.</summary>
public sealed record DepartmentEntry(int Id, string Code, string NameEn, string NameZh);

/// <summary>The units the console's pickers list: the street's active departments, in their order.</summary>
public sealed class UnitDirectory(DbConnectionFactory db)
{
    public async Task<IReadOnlyList<DepartmentEntry>> ActiveDepartmentsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<DepartmentRow>(new CommandDefinition(UnitDirectorySql.ActiveDepartments, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new DepartmentEntry(r.Id, r.Code, r.NameEn, r.NameZh)).ToList();
    }

    private sealed class DepartmentRow
    {
        public int Id { get; init; }
        public string Code { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameZh { get; init; } = "";
    }
}

public static class UnitDirectorySql
{
    public const string ActiveDepartments = "SELECT Id, Code, NameEn, NameZh FROM Department WHERE Active = 1 ORDER BY SortOrder, Id";
}

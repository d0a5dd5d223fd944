namespace CommandCenter.Data.Departments;

/// <summary>The SQL of the loop's settings: departments and deadline hours (issue 9).</summary>
public static class LoopSettingsSql
{
    public const string Departments = "SELECT Id, Code, NameEn, NameZh, Active, SortOrder FROM Department ORDER BY SortOrder, Id";

    public const string DepartmentById = "SELECT Id, Code, NameEn, NameZh, Active, SortOrder FROM Department WHERE Id = @Id";

    public const string DepartmentCodeExists = "SELECT COUNT(*) FROM Department WHERE Code = @Code";

    private const string InsertDepartmentText = "INSERT INTO Department (Code, NameEn, NameZh, Active, SortOrder)";

    public const string InsertDepartment_Sqlite = InsertDepartmentText + " VALUES (@Code, @NameEn, @NameZh, 1, @SortOrder) RETURNING Id";

    public const string InsertDepartment_SqlServer = InsertDepartmentText + " OUTPUT INSERTED.Id VALUES (@Code, @NameEn, @NameZh, 1, @SortOrder)";

    public const string UpdateDepartment = "UPDATE Department SET NameEn = @NameEn, NameZh = @NameZh, SortOrder = @SortOrder WHERE Id = @Id";

    public const string SetDepartmentActive = "UPDATE Department SET Active = @Active WHERE Id = @Id";

    /// <summary>Open incidents a department holds (HolderKind 3): it cannot be deactivated while it holds any.</summary>
    public const string DepartmentOpenIncidents = "SELECT COUNT(*) FROM Incident WHERE HolderKind = 3 AND HolderId = @Id AND Step < 6";

    public const string Deadlines = "SELECT Category, Cycle, Hours FROM DeadlineSetting";

    public const string DeadlineHours = "SELECT Hours FROM DeadlineSetting WHERE Category = @Category AND Cycle = @Cycle";

    public const string UpdateDeadline = "UPDATE DeadlineSetting SET Hours = @Hours, UpdatedAt = @At WHERE Category = @Category AND Cycle = @Cycle";

    public const string InsertDeadline = "INSERT INTO DeadlineSetting (Category, Cycle, Hours, UpdatedAt) VALUES (@Category, @Cycle, @Hours, @At)";
}

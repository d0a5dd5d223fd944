using System.Text.RegularExpressions;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Incidents;

// The Admin's settings of the loop (issue 9): the street's departments (the large cycle's units) and the deadline hours
// per category and cycle. Bodies of /api/v1/departments and /api/v1/deadlines, validated here, stored by Data's handlers.

/// <summary>A department as stored.</summary>
public sealed record Department(int Id, string Code, string NameEn, string NameZh, bool Active, int SortOrder);

/// <summary>Add or edit a department. The code is fixed once created (links and the center's <c>center</c> rely on it).</summary>
public sealed partial record DepartmentBody
{
    public const string CenterCode = "center";

    public string? Code { get; init; }
    public string? NameEn { get; init; }
    public string? NameZh { get; init; }
    public int? SortOrder { get; init; }

    public ValidDepartment Validate(bool creating)
    {
        var v = new Validator();
        string? code = null;
        if (creating)
        {
            code = v.RequiredText("code", Code, 40);
            if (code is not null && !CodePattern().IsMatch(code)) v.Add("code", "must be 2–40 lower-case letters, digits or '_', starting with a letter.");
        }
        else if (Code is not null)
        {
            v.Add("code", "cannot be changed; add a new department instead.");
        }

        var en = v.RequiredText("nameEn", NameEn, 100);
        var zh = v.RequiredText("nameZh", NameZh, 100);
        if (SortOrder is < 0 or > 100000) v.Add("sortOrder", "must be between 0 and 100000.");
        v.ThrowIfInvalid();
        return new ValidDepartment(code, en!, zh!, SortOrder ?? 100);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}

public sealed record ValidDepartment(string? Code, string NameEn, string NameZh, int SortOrder);

/// <summary>A deadline setting: hours for a category in a cycle.</summary>
public sealed record DeadlineSettingRow(string Category, IncidentCycle Cycle, int Hours, bool IsDefault);

/// <summary>Set the hours of one category in one cycle (1 h to a year).</summary>
public sealed record DeadlineBody
{
    public const int MaxHours = 8760;

    public string? Category { get; init; }
    /// <summary><c>micro</c>, <c>small</c> or <c>large</c>.</summary>
    public string? Cycle { get; init; }
    public int? Hours { get; init; }

    public (string Category, IncidentCycle Cycle, int Hours) Validate()
    {
        var v = new Validator();
        var category = v.RequiredText("category", Category, 64);
        if (category is not null && !IncidentCategories.IsKnown(category))
        {
            v.Add("category", $"'{Validator.Quote(category)}' is not a known category; use one of: {string.Join(", ", IncidentCategories.All.Select(c => c.Entry.Code))}.");
        }

        var cycle = LoopFields.ParseEnum<IncidentCycle>(v, "cycle", Cycle, required: true);
        var hours = v.Required("hours", Hours);
        if (hours is < 1 or > MaxHours) v.Add("hours", $"must be between 1 and {MaxHours}.");
        v.ThrowIfInvalid();
        return (category!, cycle!.Value, hours!.Value);
    }
}

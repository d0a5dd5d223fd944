namespace CommandCenter.Data.Devices;

/// <summary>A registered camera as the registry shows and the API returns it (joined with its grid's community).</summary>
public sealed class CameraDetails
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public int GridId { get; init; }
    public int CommunityId { get; init; }
    public string? Place { get; init; }
    public double Lon { get; init; }
    public double Lat { get; init; }
    public int ExpectedIntervalSeconds { get; init; }
    public bool IsOnline { get; init; }
    public DateTimeOffset? StatusAt { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public DateTimeOffset? RetiredAt { get; init; }
}

/// <summary>A registered waterlogging point as the registry shows and the API returns it.</summary>
public sealed class WaterPointDetails
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string NameZh { get; init; } = "";
    public int GridId { get; init; }
    public int CommunityId { get; init; }
    public string? Place { get; init; }
    public double Lon { get; init; }
    public double Lat { get; init; }
    public double WarningDepthCm { get; init; }
    public double AlarmDepthCm { get; init; }
    public double HysteresisCm { get; init; }
    public int PendingSeconds { get; init; }
    public double? RiseLimitCmPerMin { get; init; }
    public int ExpectedIntervalSeconds { get; init; }
    public bool IsOnline { get; init; }
    public DateTimeOffset? StatusAt { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public DateTimeOffset? RetiredAt { get; init; }
}

/// <summary>What a CSV import did: rows created, and each refused row with its line, field and reason.</summary>
public sealed record DeviceImportReport(int Created, int Refused, IReadOnlyList<string> CreatedCodes, IReadOnlyList<DeviceImportError> Errors);

/// <summary>A refused row of a CSV import: the 1-based line of the file (the header is line 1), the column and why.</summary>
public sealed record DeviceImportError(int Line, string Field, string Reason);

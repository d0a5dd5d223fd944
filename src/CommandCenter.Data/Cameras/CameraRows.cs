namespace CommandCenter.Data.Cameras;

/// <summary>A row of <c>Camera</c> as Dapper reads it (the one row type of the table); <see cref="CommunityId"/> is joined from its grid.</summary>
public sealed class CameraRow
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public int GridId { get; init; }
    public double Lon { get; init; }
    public double Lat { get; init; }
    public bool IsOnline { get; init; }

    /// <summary>Joined from <c>Grid</c>.</summary>
    public int CommunityId { get; init; }

    /// <summary>When the camera was retired (migration 0007); its events are refused from then on.</summary>
    public DateTimeOffset? RetiredAt { get; init; }
}

/// <summary>A row of <c>CameraAlert</c> as Dapper reads it (the one row type of the table), with its camera's code, name, grid and community joined.</summary>
public sealed class AlertRow
{
    public long Id { get; init; }
    public int CameraId { get; init; }
    public string Kind { get; init; } = "";
    public double Confidence { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public int Status { get; init; }

    /// <summary>Occurrences folded into the alert, itself included (migration 0007).</summary>
    public int RepeatCount { get; init; } = 1;

    /// <summary>The latest folded repeat; null: none.</summary>
    public DateTimeOffset? LastOccurredAt { get; init; }

    /// <summary>The sender's id (a Frigate event's is <c>frigate:{id}</c>).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Frigate's <c>has_snapshot</c> (migration 0022).</summary>
    public bool HasSnapshot { get; init; }

    /// <summary>Joined from <c>Camera</c>.</summary>
    public string CameraCode { get; init; } = "";

    /// <summary>Joined from <c>Camera</c>.</summary>
    public string CameraName { get; init; } = "";

    /// <summary>Joined from <c>Camera</c>.</summary>
    public int GridId { get; init; }

    /// <summary>Joined from <c>Grid</c>.</summary>
    public int CommunityId { get; init; }
}

namespace CommandCenter.Data.Infrastructure;

/// <summary>Configuration section <c>Database</c>: which engine and where.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>For SQLite, the default is a file under ./data/; for SQL Server it must be set.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/commandcenter.db";

    /// <summary>Seconds a command may run before it is cancelled.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new SettingException(
                $"Setting 'Database:Provider' is '{Provider}', which is not a known provider: use 'Sqlite' or 'SqlServer'.");
}

public enum DatabaseProvider
{
    Sqlite = 1,
    SqlServer = 2,
}

/// <summary>A setting that stops start-up; the message names the setting.</summary>
public sealed class SettingException(string message, Exception? inner = null) : Exception(message, inner);

using System.Globalization;
using System.Text;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CsvHelper;

namespace CommandCenter.Data.Devices;

/// <summary>
/// CSV import of cameras or waterlogging points for a first installation (columns in docs/api.md). UTF-8 with or without
/// a byte-order mark; a header row names the columns (any order, case and surrounding spaces ignored). Every row is
/// checked on its own: a row that is refused is reported with its line, the field and the reason, and the good rows
/// are kept — all of them in one transaction, each with its audit row, so the import is whole or, on a database
/// failure, nothing. A code that is registered already, or repeated in the file, is refused (an import creates; edits
/// go through the page or PUT).
/// </summary>
public sealed class DeviceCsvImporter(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public const int MaxRows = 5000;
    public const int MaxBytes = 4 * 1024 * 1024;

    public static readonly IReadOnlyList<string> CameraColumns = ["code", "name", "nameZh", "gridId", "place", "lon", "lat", "expectedIntervalSeconds"];

    public static readonly IReadOnlyList<string> WaterPointColumns =
        ["code", "name", "nameZh", "gridId", "place", "lon", "lat", "warningDepthCm", "alarmDepthCm", "hysteresisCm", "pendingSeconds",
         "riseLimitCmPerMin", "expectedIntervalSeconds"];

    private static readonly string[] CameraRequired = ["code", "name", "gridId", "lon", "lat"];
    private static readonly string[] PointRequired = ["code", "name", "nameZh", "gridId", "lon", "lat", "warningDepthCm", "alarmDepthCm"];

    public Task<DeviceImportReport> ImportCamerasAsync(byte[] csv, Actor actor, CancellationToken ct = default) =>
        ImportAsync(csv, actor, CameraColumns, CameraRequired, row => DeviceRules.Validate(new CameraInput
        {
            Code = row.Text("code"), Name = row.Text("name"), NameZh = row.Text("nameZh"), GridId = row.Int("gridId"), Place = row.Text("place"),
            Lon = row.Number("lon"), Lat = row.Number("lat"), ExpectedIntervalSeconds = row.Int("expectedIntervalSeconds"),
        }), (c, tx, cam, now) => DeviceWrites.InsertCameraAsync(db, c, tx, cam, actor, now, ct), cam => cam.Code, "cameras", ct);

    public Task<DeviceImportReport> ImportWaterPointsAsync(byte[] csv, Actor actor, CancellationToken ct = default) =>
        ImportAsync(csv, actor, WaterPointColumns, PointRequired, row => DeviceRules.Validate(new WaterPointInput
        {
            Code = row.Text("code"), Name = row.Text("name"), NameZh = row.Text("nameZh"), GridId = row.Int("gridId"), Place = row.Text("place"),
            Lon = row.Number("lon"), Lat = row.Number("lat"), WarningDepthCm = row.Number("warningDepthCm"), AlarmDepthCm = row.Number("alarmDepthCm"),
            HysteresisCm = row.Number("hysteresisCm"), PendingSeconds = row.Int("pendingSeconds"), RiseLimitCmPerMin = row.Number("riseLimitCmPerMin"),
            ExpectedIntervalSeconds = row.Int("expectedIntervalSeconds"),
        }), (c, tx, p, now) => DeviceWrites.InsertWaterPointAsync(db, c, tx, p, actor, now, ct), p => p.Code, "water points", ct);

    private async Task<DeviceImportReport> ImportAsync<T>(byte[] csv, Actor actor, IReadOnlyList<string> columns, string[] required,
        Func<CsvRow, T> validate, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, T, DateTimeOffset, Task<int>> insert,
        Func<T, string> codeOf, string what, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(actor);
        if (csv.Length == 0) throw InputValidationException.For("file", "is empty: a header row and at least one device are needed.");
        if (csv.Length > MaxBytes) throw InputValidationException.For("file", $"must be at most {MaxBytes / (1024 * 1024)} MB.");
        var text = Decode(csv);
        var errors = new List<DeviceImportError>();
        var rows = new List<(int Line, T Device)>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        using (var reader = CsvReader.FromText(text, new CsvReaderOptions { TrackLineNumbers = true }))
        {
            var index = Header(reader, columns, required);
            try
            {
                while (reader.Read())
                {
                    if (rows.Count + errors.Select(e => e.Line).Distinct().Count() >= MaxRows)
                    {
                        throw InputValidationException.For("file", $"must hold at most {MaxRows} rows.");
                    }

                    var line = (int)reader.LineNumber;
                    var row = new CsvRow(reader, index, line, errors);
                    var before = errors.Count;
                    try
                    {
                        var device = validate(row);
                        if (errors.Count > before) continue;
                        var code = codeOf(device);
                        if (seen.TryGetValue(code, out var first))
                        {
                            errors.Add(new DeviceImportError(line, "code", $"'{Validator.Quote(code)}' is repeated (first on line {first})."));
                            continue;
                        }

                        seen[code] = line;
                        rows.Add((line, device));
                    }
                    catch (InputValidationException ex)
                    {
                        if (errors.Count > before) continue; // the unreadable numbers say it already
                        foreach (var (field, messages) in ex.Errors) errors.Add(new DeviceImportError(line, field, string.Join(" ", messages)));
                    }
                }
            }
            catch (CsvFormatException ex)
            {
                errors.Add(new DeviceImportError(SafeLine(reader), "file", "is not valid CSV from here on: " + ex.Message));
            }
        }

        var now = clock.Now;
        var created = new List<string>();
        if (rows.Count > 0)
        {
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var (line, device) in rows)
                {
                    try
                    {
                        await insert(c, tx, device, now).ConfigureAwait(false);
                        created.Add(codeOf(device));
                    }
                    catch (InputValidationException ex)
                    {
                        foreach (var (field, messages) in ex.Errors) errors.Add(new DeviceImportError(line, field, string.Join(" ", messages)));
                    }
                    catch (ConflictException ex)
                    {
                        errors.Add(new DeviceImportError(line, ex.Field, string.Join(" ", ex.Errors[ex.Field])));
                    }
                }

                return 0;
            }, ct).ConfigureAwait(false);
        }

        if (created.Count > 0) await events.PublishAsync($"{created.Count} {what} imported", ct).ConfigureAwait(false);
        var refused = errors.Select(e => e.Line).Distinct().Count();
        return new DeviceImportReport(created.Count, refused, created, [.. errors.OrderBy(e => e.Line)]);
    }

    /// <summary>UTF-8 with or without a byte-order mark; invalid UTF-8 is refused (a file saved as GBK would garble the Chinese names).</summary>
    private static string Decode(byte[] csv)
    {
        var span = csv.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            throw InputValidationException.For("file", "is not UTF-8 text (save the sheet as \"CSV UTF-8\").");
        }
    }

    private static Dictionary<string, int> Header(CsvReader reader, IReadOnlyList<string> columns, string[] required)
    {
        try
        {
            reader.ReadHeader();
        }
        catch (CsvFormatException ex)
        {
            throw InputValidationException.For("file", "has no readable header row: " + ex.Message);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in columns)
        {
            if (reader.TryGetFieldIndex(name, out var i)) index[name] = i;
        }

        var missing = required.Where(r => !index.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw InputValidationException.For("file", $"the header lacks the column(s) {string.Join(", ", missing)}; expected: {string.Join(",", columns)}.");
        }

        return index;
    }

    private static int SafeLine(CsvReader reader)
    {
        try
        {
            return (int)reader.LineNumber;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>One record's fields by column name; an unreadable number is reported (line, column) and read as missing.</summary>
    private sealed class CsvRow(CsvReader reader, Dictionary<string, int> index, int line, List<DeviceImportError> errors)
    {
        public string? Text(string column)
        {
            if (!index.TryGetValue(column, out var i) || i >= reader.FieldCount) return null;
            var s = reader.GetString(i);
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }

        public double? Number(string column)
        {
            var s = Text(column);
            if (s is null) return null;
            if (double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            errors.Add(new DeviceImportError(line, column, $"'{Validator.Quote(s)}' is not a number."));
            return null;
        }

        public int? Int(string column)
        {
            var s = Text(column);
            if (s is null) return null;
            if (int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
            errors.Add(new DeviceImportError(line, column, $"'{Validator.Quote(s)}' is not a whole number."));
            return null;
        }
    }
}

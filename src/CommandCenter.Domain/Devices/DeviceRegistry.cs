using System.Text.RegularExpressions;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Devices;

/// <summary>A camera as an administrator or an integrator registers or edits it (the code is immutable once created).</summary>
public sealed record CameraInput
{
    /// <summary>The camera's code on the video platform, e.g. <c>CAM-0042</c>; only on create.</summary>
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? NameZh { get; init; }
    public int? GridId { get; init; }
    public string? Place { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }

    /// <summary>How often the camera is expected to report (an alert or an availability message); 30 s .. 1 day.</summary>
    public int? ExpectedIntervalSeconds { get; init; }
}

/// <summary>A waterlogging point as an administrator or an integrator registers or edits it.</summary>
public sealed record WaterPointInput
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? NameZh { get; init; }
    public int? GridId { get; init; }
    public string? Place { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public double? WarningDepthCm { get; init; }
    public double? AlarmDepthCm { get; init; }

    /// <summary>A level clears only below the level minus this margin; smaller than the warning depth.</summary>
    public double? HysteresisCm { get; init; }

    /// <summary>How long a level must hold before it is raised.</summary>
    public int? PendingSeconds { get; init; }

    /// <summary>Null: no rate-of-rise alarm.</summary>
    public double? RiseLimitCmPerMin { get; init; }
    public int? ExpectedIntervalSeconds { get; init; }
}

/// <summary>A camera's fields after validation: text trimmed, defaults applied.</summary>
public sealed record ValidCamera(string Code, string Name, string? NameZh, int GridId, string? Place, double Lon, double Lat, int ExpectedIntervalSeconds);

/// <summary>A waterlogging point's fields after validation.</summary>
public sealed record ValidWaterPoint(string Code, string Name, string NameZh, int GridId, string? Place, double Lon, double Lat,
    double WarningDepthCm, double AlarmDepthCm, double HysteresisCm, int PendingSeconds, double? RiseLimitCmPerMin, int ExpectedIntervalSeconds);

/// <summary>
/// The rules of the device registry: codes are short ASCII identifiers (a sensor or camera sends them), names are
/// required (a point's Chinese name too, the wall shows it), coordinates are WGS-84, and a point's settings make a
/// level machine that cannot flap: the alarm depth is above the warning depth and the hysteresis margin is smaller
/// than the warning depth (else a warning could never clear).
/// </summary>
public static partial class DeviceRules
{
    public const int MaxCodeLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxPlaceLength = 300;
    public const int MinIntervalSeconds = 30;
    public const int MaxIntervalSeconds = 86_400;
    public const int MaxPendingSeconds = 3_600;
    public const double MaxDepthCm = 500;
    public const int DefaultCameraIntervalSeconds = 600;
    public const int DefaultPointIntervalSeconds = 300;
    public const double DefaultHysteresisCm = 2;
    public const int DefaultPendingSeconds = 60;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    /// <summary>Validates a camera; <paramref name="existingCode"/> is the stored code on an edit (a different code is refused).</summary>
    public static ValidCamera Validate(CameraInput input, string? existingCode = null, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(input);
        var v = new Validator();
        var code = Code(v, prefix, input.Code, existingCode);
        var name = v.RequiredText(prefix + "name", input.Name, MaxNameLength);
        var nameZh = v.OptionalText(prefix + "nameZh", input.NameZh, MaxNameLength);
        var grid = v.Required(prefix + "gridId", input.GridId);
        if (grid is <= 0) v.Add(prefix + "gridId", "must be a positive grid id.");
        var place = v.OptionalText(prefix + "place", input.Place, MaxPlaceLength);
        var (lon, lat) = Coordinates(v, prefix, input.Lon, input.Lat);
        var interval = Interval(v, prefix, input.ExpectedIntervalSeconds, DefaultCameraIntervalSeconds);
        v.ThrowIfInvalid();
        return new ValidCamera(code!, name!, nameZh, grid!.Value, place, lon, lat, interval);
    }

    /// <summary>Validates a waterlogging point; <paramref name="existingCode"/> as for cameras.</summary>
    public static ValidWaterPoint Validate(WaterPointInput input, string? existingCode = null, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(input);
        var v = new Validator();
        var code = Code(v, prefix, input.Code, existingCode);
        var name = v.RequiredText(prefix + "name", input.Name, MaxNameLength);
        var nameZh = v.RequiredText(prefix + "nameZh", input.NameZh, MaxNameLength);
        var grid = v.Required(prefix + "gridId", input.GridId);
        if (grid is <= 0) v.Add(prefix + "gridId", "must be a positive grid id.");
        var place = v.OptionalText(prefix + "place", input.Place, MaxPlaceLength);
        var (lon, lat) = Coordinates(v, prefix, input.Lon, input.Lat);
        var warning = v.Finite(prefix + "warningDepthCm", v.Required(prefix + "warningDepthCm", input.WarningDepthCm));
        var alarm = v.Finite(prefix + "alarmDepthCm", v.Required(prefix + "alarmDepthCm", input.AlarmDepthCm));
        if (warning is <= 0 or > MaxDepthCm) v.Add(prefix + "warningDepthCm", $"must be above 0 and at most {MaxDepthCm}.");
        if (alarm is <= 0 or > MaxDepthCm) v.Add(prefix + "alarmDepthCm", $"must be above 0 and at most {MaxDepthCm}.");
        if (warning is not null && alarm is not null && alarm <= warning) v.Add(prefix + "alarmDepthCm", "must be greater than warningDepthCm.");
        var hysteresis = v.Finite(prefix + "hysteresisCm", input.HysteresisCm) ?? DefaultHysteresisCm;
        if (hysteresis < 0) v.Add(prefix + "hysteresisCm", "must not be negative.");
        else if (warning is > 0 && hysteresis >= warning) v.Add(prefix + "hysteresisCm", "must be smaller than warningDepthCm (else a warning never clears).");
        var pending = input.PendingSeconds ?? DefaultPendingSeconds;
        if (pending is < 0 or > MaxPendingSeconds) v.Add(prefix + "pendingSeconds", $"must be between 0 and {MaxPendingSeconds}.");
        var rise = v.Finite(prefix + "riseLimitCmPerMin", input.RiseLimitCmPerMin);
        if (rise is <= 0 or > 100) v.Add(prefix + "riseLimitCmPerMin", "must be above 0 and at most 100 (or left out: no rate-of-rise alarm).");
        var interval = Interval(v, prefix, input.ExpectedIntervalSeconds, DefaultPointIntervalSeconds);
        v.ThrowIfInvalid();
        return new ValidWaterPoint(code!, name!, nameZh!, grid!.Value, place, lon, lat, warning!.Value, alarm!.Value,
            hysteresis, pending, rise, interval);
    }

    private static string? Code(Validator v, string prefix, string? input, string? existingCode)
    {
        if (existingCode is not null)
        {
            var given = v.OptionalText(prefix + "code", input, MaxCodeLength);
            if (given is not null && !string.Equals(given, existingCode, StringComparison.OrdinalIgnoreCase))
            {
                v.Add(prefix + "code", "cannot be changed once created (retire the device and register a new one).");
            }

            return existingCode;
        }

        var code = v.RequiredText(prefix + "code", input, MaxCodeLength);
        if (code is not null && !CodePattern().IsMatch(code))
        {
            v.Add(prefix + "code", "must be letters, digits, '.', '_' or '-' (starting with a letter or digit).");
        }

        return code;
    }

    private static (double Lon, double Lat) Coordinates(Validator v, string prefix, double? lon, double? lat)
    {
        v.Required(prefix + "lon", lon);
        v.Required(prefix + "lat", lat);
        v.Coordinates(prefix, lon, lat);
        if (lon == 0 && lat == 0) v.Add(prefix + "lon", "0, 0 is not a place in the street (coordinates missing?).");
        return (lon ?? 0, lat ?? 0);
    }

    private static int Interval(Validator v, string prefix, int? value, int fallback)
    {
        var interval = value ?? fallback;
        if (interval is < MinIntervalSeconds or > MaxIntervalSeconds)
        {
            v.Add(prefix + "expectedIntervalSeconds", $"must be between {MinIntervalSeconds} and {MaxIntervalSeconds} seconds.");
        }

        return interval;
    }

    /// <summary>
    /// Whether a device that last reported at <paramref name="lastSeenAt"/> is silent at <paramref name="now"/>: it missed
    /// its expected interval by the margin (interval × <paramref name="factor"/> + <paramref name="grace"/>). A device
    /// never seen counts from <paramref name="since"/> (when it was registered or the job first looked).
    /// </summary>
    public static bool IsSilent(DateTimeOffset? lastSeenAt, DateTimeOffset since, int expectedIntervalSeconds, DateTimeOffset now, double factor, TimeSpan grace)
    {
        var from = lastSeenAt ?? since;
        var limit = TimeSpan.FromSeconds(expectedIntervalSeconds * factor) + grace;
        return now - from > limit;
    }
}

using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Tests;

/// <summary>The device registry's rules: codes, names, coordinates, and a point's level settings that cannot flap.</summary>
public sealed class DeviceRulesTests
{
    private static readonly WaterPointInput Point = new()
    {
        Code = "WL-09", Name = "Underpass", NameZh = "下穿隧道", GridId = 2, Lon = 117.5, Lat = 34.8,
        WarningDepthCm = 15, AlarmDepthCm = 30,
    };

    private static readonly CameraInput Camera = new() { Code = "CAM-0301", Name = "Gate", NameZh = "东门", GridId = 1, Lon = 117.5, Lat = 34.8 };

    private static IReadOnlyDictionary<string, string[]> Refused(Action validate) =>
        Assert.Throws<InputValidationException>(validate).Errors;

    [Fact]
    public void Validate_ValidPoint_AppliesDefaults()
    {
        var p = DeviceRules.Validate(Point);

        Assert.Equal("WL-09", p.Code);
        Assert.Equal("下穿隧道", p.NameZh);
        Assert.Equal(DeviceRules.DefaultHysteresisCm, p.HysteresisCm);
        Assert.Equal(DeviceRules.DefaultPendingSeconds, p.PendingSeconds);
        Assert.Equal(DeviceRules.DefaultPointIntervalSeconds, p.ExpectedIntervalSeconds);
        Assert.Null(p.RiseLimitCmPerMin);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(30, 20)]
    public void Validate_AlarmNotAboveWarning_IsRefusedOnAlarmDepth(double warning, double alarm)
    {
        var errors = Refused(() => DeviceRules.Validate(Point with { WarningDepthCm = warning, AlarmDepthCm = alarm }));

        Assert.Contains("alarmDepthCm", errors.Keys);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(-1)]
    public void Validate_HysteresisNotBelowWarningOrNegative_IsRefused(double margin)
    {
        var errors = Refused(() => DeviceRules.Validate(Point with { HysteresisCm = margin }));

        Assert.Equal(["hysteresisCm"], errors.Keys);
    }

    [Theory]
    [InlineData(181, 34.8, "lon")]
    [InlineData(117.5, 91, "lat")]
    [InlineData(0, 0, "lon")]
    [InlineData(double.NaN, 34.8, "lon")]
    public void Validate_BadCoordinates_NameTheField(double lon, double lat, string field)
    {
        var errors = Refused(() => DeviceRules.Validate(Camera with { Lon = lon, Lat = lat }));

        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CAM 1")]
    [InlineData("-CAM")]
    [InlineData("摄像头1")]
    public void Validate_BadCode_IsRefused(string code)
    {
        var errors = Refused(() => DeviceRules.Validate(Camera with { Code = code }));

        Assert.Contains("code", errors.Keys);
    }

    [Fact]
    public void Validate_EditWithAnotherCode_IsRefused_SameCodeOrNoneIsAccepted()
    {
        var errors = Refused(() => DeviceRules.Validate(Camera with { Code = "CAM-9999" }, existingCode: "CAM-0301"));
        Assert.Contains("cannot be changed", errors["code"][0], StringComparison.Ordinal);

        Assert.Equal("CAM-0301", DeviceRules.Validate(Camera with { Code = null }, existingCode: "CAM-0301").Code);
        Assert.Equal("CAM-0301", DeviceRules.Validate(Camera with { Code = "cam-0301" }, existingCode: "CAM-0301").Code);
    }

    [Fact]
    public void Validate_PointWithoutChineseName_IsRefused_CameraMayLackIt()
    {
        Assert.Contains("nameZh", Refused(() => DeviceRules.Validate(Point with { NameZh = " " })).Keys);
        Assert.Null(DeviceRules.Validate(Camera with { NameZh = null }).NameZh);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(86_401)]
    public void Validate_IntervalOutOfRange_IsRefused(int seconds)
    {
        Assert.Contains("expectedIntervalSeconds", Refused(() => DeviceRules.Validate(Camera with { ExpectedIntervalSeconds = seconds })).Keys);
        Assert.Contains("expectedIntervalSeconds", Refused(() => DeviceRules.Validate(Point with { ExpectedIntervalSeconds = seconds })).Keys);
    }

    [Fact]
    public void Validate_Prefix_IsUsedForEveryField()
    {
        var errors = Refused(() => DeviceRules.Validate(new WaterPointInput(), prefix: "rows[3]."));

        Assert.All(errors.Keys, k => Assert.StartsWith("rows[3].", k, StringComparison.Ordinal));
        Assert.Contains("rows[3].code", errors.Keys);
        Assert.Contains("rows[3].warningDepthCm", errors.Keys);
    }

    [Theory]
    [InlineData(300, 1.5, 60, 509, false)]
    [InlineData(300, 1.5, 60, 511, true)]
    public void IsSilent_MissesTheIntervalByTheMargin(int interval, double factor, int graceSeconds, int elapsedSeconds, bool silent)
    {
        var seen = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(silent, DeviceRules.IsSilent(seen, seen.AddDays(-1), interval, seen.AddSeconds(elapsedSeconds), factor, TimeSpan.FromSeconds(graceSeconds)));
    }

    [Fact]
    public void IsSilent_NeverSeen_CountsFromSince()
    {
        var since = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

        Assert.False(DeviceRules.IsSilent(null, since, 300, since.AddSeconds(299), 1, TimeSpan.Zero));
        Assert.True(DeviceRules.IsSilent(null, since, 300, since.AddSeconds(301), 1, TimeSpan.Zero));
    }
}

/// <summary>The history request's range: defaults, limits per resolution, names of refused fields.</summary>
public sealed class ReadingHistoryRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_Defaults_AreTheLast24HoursPerMinute()
    {
        var r = ReadingHistoryRange.Validate(null, null, null, Now);

        Assert.Equal((Now.AddDays(-1), Now, ReadingResolution.Minute), (r.From, r.To, r.Resolution));
    }

    [Theory]
    [InlineData("raw", 2, true)]
    [InlineData("raw", 3, false)]
    [InlineData("MINUTE", 31, true)]
    [InlineData("minute", 32, false)]
    [InlineData("hour", 400, true)]
    [InlineData("hour", 401, false)]
    public void Validate_SpanPerResolution(string resolution, int days, bool accepted)
    {
        var validate = () => ReadingHistoryRange.Validate(Now.AddDays(-days), Now, resolution, Now);

        if (accepted) validate();
        else Assert.Contains("from", Assert.Throws<InputValidationException>(validate).Errors.Keys);
    }

    [Theory]
    [InlineData("second")]
    [InlineData("1")]
    public void Validate_UnknownResolution_IsRefusedByName(string resolution)
    {
        Assert.Contains("resolution", Assert.Throws<InputValidationException>(() => ReadingHistoryRange.Validate(null, null, resolution, Now)).Errors.Keys);
    }

    [Fact]
    public void Validate_FromNotBeforeTo_IsRefused()
    {
        Assert.Contains("from", Assert.Throws<InputValidationException>(() => ReadingHistoryRange.Validate(Now, Now, "raw", Now)).Errors.Keys);
    }
}

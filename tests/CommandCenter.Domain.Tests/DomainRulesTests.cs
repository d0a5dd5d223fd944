using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

public sealed class DomainRulesTests
{
    [Theory]
    [InlineData(5.0, WaterLevel.Normal)]
    [InlineData(15.0, WaterLevel.Warning)]
    [InlineData(29.9, WaterLevel.Warning)]
    [InlineData(30.0, WaterLevel.Alarm)]
    public void Classify_DepthAgainstThresholds_GivesLevel(double depth, WaterLevel expected)
    {
        var now = DateTimeOffset.UnixEpoch;
        Assert.Equal(expected, WaterLevels.Classify(depth, 15, 30, now, now, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Classify_NoRecentReading_IsSilent()
    {
        var now = DateTimeOffset.UnixEpoch.AddHours(1);
        Assert.Equal(WaterLevel.Silent, WaterLevels.Classify(40, 15, 30, now.AddMinutes(-11), now, TimeSpan.FromMinutes(10)));
        Assert.Equal(WaterLevel.Silent, WaterLevels.Classify(null, 15, 30, null, now, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Next_WalksTheLoopAndStopsAtClosed()
    {
        var steps = new List<IncidentStep>();
        for (IncidentStep? s = IncidentStep.Reported; s is not null; s = IncidentSteps.Next(s.Value)) steps.Add(s.Value);

        Assert.Equal(Enum.GetValues<IncidentStep>(), steps);
    }

    [Fact]
    public void DueAt_FireIsShorterThanDispute()
    {
        var t = DateTimeOffset.UnixEpoch;
        Assert.True(IncidentCategories.DueAt("fire", t) < IncidentCategories.DueAt("dispute", t));
        Assert.True(IncidentCategories.IsKnown("flooding"));
        Assert.False(IncidentCategories.IsKnown("Flooding"));
    }

    [Fact]
    public void BoardClock_SundayNightInShanghai_WeekStartsOnMonday()
    {
        // 2026-11-29 is a Sunday; 23:30 in Shanghai is 15:30 UTC.
        var clock = new BoardClock(new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 15, 30, 0, TimeSpan.Zero)), BoardClock.FindZone("Asia/Shanghai"));

        Assert.Equal(new DateOnly(2026, 11, 29), clock.Today);
        Assert.Equal(new DateOnly(2026, 11, 23), clock.WeekStartDate);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 16, 0, 0, TimeSpan.Zero), clock.DayStart);
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), clock.MonthStart);
    }
}

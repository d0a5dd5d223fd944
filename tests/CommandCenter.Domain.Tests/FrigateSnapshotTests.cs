using CommandCenter.Domain.Cameras;

namespace CommandCenter.Domain.Tests;

public sealed class FrigateSnapshotTests
{
    [Theory]
    [InlineData("frigate:1718000000.123456-abc123", true, "1718000000.123456-abc123")]
    [InlineData("frigate:1718000000.123456-abc123", false, null)] // no snapshot
    [InlineData("vms-77812", true, null)]                          // not a Frigate event
    [InlineData("frigate:", true, null)]
    [InlineData(null, true, null)]
    public void EventId_IsTheFrigateIdOfAnAlertWithASnapshot(string? externalId, bool hasSnapshot, string? expected) =>
        Assert.Equal(expected, FrigateSnapshot.EventId(externalId, hasSnapshot));

    [Theory]
    [InlineData("http://frigate.local:5000", "1718.5-ab", "http://frigate.local:5000/api/events/1718.5-ab/snapshot.jpg")]
    [InlineData("https://cams.example/frigate/", "a b/c", "https://cams.example/frigate/api/events/a%20b%2Fc/snapshot.jpg")]
    [InlineData("", "1718.5-ab", null)]
    [InlineData(null, "1718.5-ab", null)]
    [InlineData("http://frigate.local:5000", null, null)]
    public void Url_IsUnderTheBase_WithTheIdEscaped_AndNothingWithoutEither(string? baseUrl, string? eventId, string? expected) =>
        Assert.Equal(expected, FrigateSnapshot.Url(baseUrl, eventId));
}

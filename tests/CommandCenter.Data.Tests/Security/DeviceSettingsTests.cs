using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

/// <summary>Per-screen settings (0006): defaults, stored, audited, validated, pushed to open screens.</summary>
public sealed class DeviceSettingsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.1.1.1");
    private SqliteDatabase _db = null!;
    private DeviceService _devices = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _devices = new DeviceService(_db.Factory, new FakeTimeProvider(Now), NullLogger<DeviceService>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task NewDevice_HasDefaultSettings_DefaultCultureNotEnglish()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby", 2);

        var settings = await _devices.GetSettingsAsync(registration.Device.Id);

        Assert.NotNull(settings);
        Assert.Null(settings.Language); // the configured default culture, not forced English
        Assert.Equal(2, settings.CommunityId);
        Assert.Equal(["overview"], settings.Playlist);
        Assert.Equal(30, settings.DwellSeconds);
        Assert.Equal("wall", settings.Density);
    }

    [Fact]
    public async Task UpdateSettings_StoresAuditsAndRaisesTheEvent()
    {
        var id = (await _devices.RegisterAsync(Admin, "Hall wall", null)).Device.Id;
        (int Id, ScreenSettings Settings)? raised = null;
        _devices.SettingsChanged += (d, s) => raised = (d, s);

        await _devices.UpdateSettingsAsync(Admin, id, new ScreenSettings("zh-CN", 1, ["devices", "overview", "devices"], 45, "hall"));

        var stored = await _devices.GetSettingsAsync(id);
        Assert.Equal("zh-CN", stored!.Language);
        Assert.Equal(1, stored.CommunityId);
        Assert.Equal(["devices", "overview"], stored.Playlist);
        Assert.Equal(45, stored.DwellSeconds);
        Assert.Equal("hall", stored.Density);
        Assert.Equal(id, raised!.Value.Id);
        Assert.Equal("hall", raised.Value.Settings.Density);
        Assert.Equal(1, (await _devices.FindAsync(id))!.CommunityId);
        var entry = Assert.Single(await new AuditLog(_db.Factory).ListAsync(new AuditFilter(Action: "device.settings")));
        Assert.Contains("hall", entry.Details ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR", "overview", 30, "wall", "language")]
    [InlineData(null, "nope", 30, "wall", "pages")]
    [InlineData(null, "overview", 5, "wall", "dwellSeconds")]
    [InlineData(null, "overview", 30, "huge", "density")]
    public async Task UpdateSettings_Invalid_IsRefused(string? language, string page, int dwell, string density, string field)
    {
        var id = (await _devices.RegisterAsync(Admin, "Hall wall", null)).Device.Id;

        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _devices.UpdateSettingsAsync(Admin, id, new ScreenSettings(language, null, [page], dwell, density)));

        Assert.Contains(field, ex.Errors.Keys);
    }

    [Fact]
    public async Task UpdateSettings_RevokedDevice_IsRefused()
    {
        var id = (await _devices.RegisterAsync(Admin, "Old wall", null)).Device.Id;
        await _devices.RevokeAsync(Admin, id);

        await Assert.ThrowsAsync<InputValidationException>(() => _devices.UpdateSettingsAsync(Admin, id, ScreenSettings.Default));
    }
}

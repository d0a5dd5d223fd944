using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

public sealed class DeviceServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.1.1.1");
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private DeviceService _devices = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _devices = new DeviceService(_db.Factory, _time, NullLogger<DeviceService>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task EnrollAsync_FreshCode_GivesATokenThatValidates()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", 2);

        var enrolled = await _devices.EnrollAsync(registration.EnrollmentCode, "10.2.2.2");

        Assert.NotNull(enrolled);
        var device = await _devices.ValidateAsync(enrolled.Value.Token);
        Assert.Equal(registration.Device.Id, device!.Id);
        Assert.Equal(2, device.CommunityId);
        Assert.Equal(Now, device.EnrolledAt);
        Assert.True(await _devices.IsActiveAsync(device.Id));
    }

    [Fact]
    public async Task EnrollAsync_CodeUsedTwice_SecondTimeIsRefused()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        var first = await _devices.EnrollAsync(registration.EnrollmentCode, null);

        var second = await _devices.EnrollAsync(registration.EnrollmentCode, null);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(await _devices.ValidateAsync(first.Value.Token));
    }

    [Fact]
    public async Task EnrollAsync_ExpiredCode_IsRefused()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        _time.Advance(DeviceService.EnrollmentValidity + TimeSpan.FromSeconds(1));

        Assert.Null(await _devices.EnrollAsync(registration.EnrollmentCode, null));
        Assert.False(await _devices.IsActiveAsync(registration.Device.Id));
    }

    [Fact]
    public async Task EnrollAsync_CodeJustBeforeExpiry_IsAccepted()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        _time.Advance(DeviceService.EnrollmentValidity - TimeSpan.FromSeconds(1));

        Assert.NotNull(await _devices.EnrollAsync(registration.EnrollmentCode, null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("enr_guessed")]
    public async Task EnrollAsync_UnknownCode_IsRefused(string? code)
    {
        await _devices.RegisterAsync(Admin, "Lobby screen", null);

        Assert.Null(await _devices.EnrollAsync(code, null));
    }

    [Fact]
    public async Task RevokeAsync_EnrolledDevice_TokenRefusedEventRaisedAndAudited()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        var enrolled = await _devices.EnrollAsync(registration.EnrollmentCode, null);

        Assert.True(await _devices.RevokeAsync(Admin, registration.Device.Id));

        Assert.Null(await _devices.ValidateAsync(enrolled!.Value.Token));
        Assert.False(await _devices.IsActiveAsync(registration.Device.Id));
        Assert.False(await _devices.RevokeAsync(Admin, registration.Device.Id));
        var entry = Assert.Single(await new AuditLog(_db.Factory).ListAsync(new AuditFilter(Action: "device.revoked")));
        Assert.Equal("admin", entry.ActorName);
    }

    [Fact]
    public async Task RevokeAsync_BeforeEnrollment_CodeCanNoLongerBeUsed()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);

        await _devices.RevokeAsync(Admin, registration.Device.Id);

        Assert.Null(await _devices.EnrollAsync(registration.EnrollmentCode, null));
    }

    [Fact]
    public async Task NewEnrollmentCodeAsync_EnrolledDevice_OldTokenStopsNewCodeWorks()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        var enrolled = await _devices.EnrollAsync(registration.EnrollmentCode, null);

        var code = await _devices.NewEnrollmentCodeAsync(Admin, registration.Device.Id);

        Assert.Null(await _devices.ValidateAsync(enrolled!.Value.Token));
        var again = await _devices.EnrollAsync(code, null);
        Assert.NotNull(await _devices.ValidateAsync(again!.Value.Token));
    }

    [Fact]
    public async Task RegisterAndEnroll_CodeAndToken_AreStoredOnlyAsHashes()
    {
        var registration = await _devices.RegisterAsync(Admin, "Lobby screen", null);
        await using (var c = await _db.Factory.OpenAsync())
        {
            var codeHash = await c.ExecuteScalarAsync<string>("SELECT EnrollmentCodeHash FROM WallDevice");
            Assert.Equal(Secrets.Hash(registration.EnrollmentCode), codeHash);
        }

        var enrolled = await _devices.EnrollAsync(registration.EnrollmentCode, null);

        await using var c2 = await _db.Factory.OpenAsync();
        var row = await c2.QuerySingleAsync<(string? CodeHash, string TokenHash)>("SELECT EnrollmentCodeHash, TokenHash FROM WallDevice");
        Assert.Null(row.CodeHash);
        Assert.Equal(Secrets.Hash(enrolled!.Value.Token), row.TokenHash);
        var everything = string.Join("\n", await c2.QueryAsync<string>(
            "SELECT COALESCE(Details, '') || ActorName || ActorId FROM AuditLog UNION ALL SELECT Name || CreatedBy FROM WallDevice"));
        Assert.DoesNotContain(enrolled.Value.Token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(registration.EnrollmentCode, everything, StringComparison.Ordinal);
    }
}

using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

/// <summary>
/// What open connections are re-validated with, and the events that let this node close them at once: a revoked key,
/// a device's token ended (revoked or re-enrolled), a person's security stamp rotated.
/// </summary>
public sealed class RevocationEventTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.1.1.1");
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ApiKey_Revoked_IsInactiveAtOnceRaisesRevokedAndIsStillFoundByItsPlaintext()
    {
        var keys = new ApiKeyService(_db.Factory, _time, NullLogger<ApiKeyService>.Instance);
        var (info, plaintext) = await keys.CreateAsync(Admin, "screen client", [Scopes.LiveRead], null);
        var (other, _) = await keys.CreateAsync(Admin, "other", [Scopes.LiveRead], null);
        var revoked = new List<int>();
        keys.Revoked += revoked.Add;
        Assert.True(await keys.IsActiveAsync(info.Id));

        Assert.True(await keys.RevokeAsync(Admin, info.Id));
        Assert.False(await keys.RevokeAsync(Admin, info.Id));

        Assert.Equal([info.Id], revoked);
        Assert.False(await keys.IsActiveAsync(info.Id));
        Assert.True(await keys.IsActiveAsync(other.Id));
        Assert.False(await keys.IsActiveAsync(999));
        Assert.Null(await keys.ValidateAsync(plaintext));
        var found = await keys.FindByPlaintextAsync(plaintext);
        Assert.Equal(info.Id, found?.Id);
        Assert.True(found!.IsRevoked);
        Assert.Null(await keys.FindByPlaintextAsync("never-created-key-0123456789"));
    }

    [Fact]
    public async Task Device_RevokedOrReEnrolled_NoLongerHoldsItsTokenAndRaisesTokenRevoked()
    {
        var devices = new DeviceService(_db.Factory, _time, NullLogger<DeviceService>.Instance);
        var lobby = await devices.RegisterAsync(Admin, "Lobby", null);
        var hall = await devices.RegisterAsync(Admin, "Hall", null);
        var lobbyToken = (await devices.EnrollAsync(lobby.EnrollmentCode, null))!.Value.Token;
        var hallToken = (await devices.EnrollAsync(hall.EnrollmentCode, null))!.Value.Token;
        var ended = new List<int>();
        devices.TokenRevoked += ended.Add;
        Assert.True(await devices.HoldsTokenAsync(lobby.Device.Id, Secrets.Hash(lobbyToken)));
        Assert.False(await devices.HoldsTokenAsync(lobby.Device.Id, Secrets.Hash(hallToken)));

        await devices.NewEnrollmentCodeAsync(Admin, lobby.Device.Id);
        Assert.True(await devices.RevokeAsync(Admin, hall.Device.Id));

        Assert.Equal([lobby.Device.Id, hall.Device.Id], ended);
        Assert.False(await devices.HoldsTokenAsync(lobby.Device.Id, Secrets.Hash(lobbyToken)));
        Assert.False(await devices.HoldsTokenAsync(hall.Device.Id, Secrets.Hash(hallToken)));
        Assert.True(await devices.IsActiveAsync(lobby.Device.Id), "re-enrolled, not revoked: the device itself stays");
    }

    [Fact]
    public async Task Person_UpdatedOrPasswordChanged_RaisesStampRotatedEachTime()
    {
        var accounts = new AccountService(_db.Factory, _time, NullLogger<AccountService>.Instance);
        var id = await accounts.CreateAsync(Admin, "duty.op", "Duty operator", Roles.Operator, null, "Correct-Horse-42");
        var rotated = new List<int>();
        accounts.StampRotated += rotated.Add;
        accounts.StampRotated += _ => throw new InvalidOperationException("a failing subscriber does not stop the change or the others");

        await accounts.UpdateAsync(Admin, id, "Duty operator", Roles.Viewer, null, isActive: true);
        await accounts.ResetPasswordAsync(Admin, id, "Reset-By-Admin-42");
        await accounts.ChangePasswordAsync(Admin, id, "Reset-By-Admin-42", "Changed-By-Self-42");
        await Assert.ThrowsAnyAsync<Exception>(() => accounts.ChangePasswordAsync(Admin, id, "wrong-current-pw", "Another-Pass-42"));
        await accounts.SignInAsync("duty.op", "Changed-By-Self-42", null);

        Assert.Equal([id, id, id], rotated);
        Assert.Equal(Roles.Viewer, (await accounts.FindAsync(id))!.Role);
    }
}

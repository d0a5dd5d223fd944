using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

/// <summary>People: sign-in with lockout (on a fake clock), password changes, the demo-password check.</summary>
public sealed class AccountServiceTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string Wrong = "Not-The-Password-1";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = Actor.System("tests");
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private AccountService _accounts = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _accounts = new AccountService(_db.Factory, _time, NullLogger<AccountService>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<int> CreateAsync(string name = "duty.op", string role = Roles.Operator, int? community = null, string password = Password) =>
        _accounts.CreateAsync(Admin, name, "Duty operator", role, community, password);

    private async Task FailAsync(string name, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await _accounts.SignInAsync(name, Wrong, "10.0.0.9");
        }
    }

    [Fact]
    public async Task SignInAsync_RightPassword_SucceedsAndRecordsTheTime()
    {
        var id = await CreateAsync();

        var result = await _accounts.SignInAsync("duty.op", Password, "10.0.0.9");

        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
        Assert.Equal(id, result.User!.Id);
        Assert.Equal(Now, (await _accounts.FindAsync(id))!.LastSignInAt);
    }

    [Fact]
    public async Task SignInAsync_UnknownUserOrEmptyPassword_FailsWithoutThrowing()
    {
        await CreateAsync();

        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("nobody", Password, null)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", "", null)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync(null, null, null)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_FiveWrongPasswords_LockedForFifteenMinutesThenUnlocks()
    {
        await CreateAsync();
        for (var i = 1; i < AccountService.MaxFailedSignIns; i++)
        {
            Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Wrong, null)).Outcome);
        }

        var fifth = await _accounts.SignInAsync("duty.op", Wrong, null);

        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), fifth.LockedUntil);
        Assert.Equal(SignInOutcome.LockedOut, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var stillLocked = await _accounts.SignInAsync("duty.op", Password, null);
        Assert.Equal(SignInOutcome.LockedOut, stillLocked.Outcome);
        Assert.Null(stillLocked.User);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_WrongAfterLockoutExpired_CountsFromOneAgain()
    {
        await CreateAsync();
        await FailAsync("duty.op", AccountService.MaxFailedSignIns);
        _time.Advance(AccountService.LockoutDuration);

        var wrong = await _accounts.SignInAsync("duty.op", Wrong, null);

        Assert.Equal(SignInOutcome.Failed, wrong.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_WrongThenRight_ResetsTheFailureCounter()
    {
        var id = await CreateAsync();
        await FailAsync("duty.op", AccountService.MaxFailedSignIns - 1);
        Assert.Equal(AccountService.MaxFailedSignIns - 1, (await _accounts.FindAsync(id))!.FailedSignIns);

        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);

        Assert.Equal(0, (await _accounts.FindAsync(id))!.FailedSignIns);
        await FailAsync("duty.op", AccountService.MaxFailedSignIns - 1);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_DisabledUser_FailsEvenWithTheRightPassword()
    {
        var id = await CreateAsync();
        await _accounts.UpdateAsync(Admin, id, "Duty operator", Roles.Operator, null, isActive: false);

        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
    }

    [Fact]
    public async Task ChangePasswordAsync_WrongCurrentPassword_IsRefusedAndNothingChanges()
    {
        var id = await CreateAsync();
        var before = (await _accounts.FindAsync(id))!;

        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _accounts.ChangePasswordAsync(Admin, id, Wrong, "A-Brand-New-Secret-9"));

        Assert.Contains("currentPassword", ex.Errors.Keys);
        Assert.Equal(before.SecurityStamp, (await _accounts.FindAsync(id))!.SecurityStamp);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
    }

    [Fact]
    public async Task ChangePasswordAsync_MissingCurrentPassword_IsRefused()
    {
        var id = await CreateAsync();

        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _accounts.ChangePasswordAsync(Admin, id, null, "A-Brand-New-Secret-9"));

        Assert.Contains("currentPassword", ex.Errors.Keys);
    }

    [Fact]
    public async Task ChangePasswordAsync_RightCurrentPassword_NewWorksOldFailsStampChangesAndIsAudited()
    {
        var id = await CreateAsync();
        var before = (await _accounts.FindAsync(id))!;
        var person = new Actor(ActorKind.User, id.ToString(System.Globalization.CultureInfo.InvariantCulture), "duty.op", null, "10.0.0.9");

        await _accounts.ChangePasswordAsync(person, id, Password, "A-Brand-New-Secret-9");

        Assert.NotEqual(before.SecurityStamp, (await _accounts.FindAsync(id))!.SecurityStamp);
        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", "A-Brand-New-Secret-9", null)).Outcome);
        var audit = await new AuditLog(_db.Factory).ListAsync(new AuditFilter(Action: "user.password-changed"));
        var entry = Assert.Single(audit);
        Assert.Equal("duty.op", entry.ActorName);
        Assert.Equal("10.0.0.9", entry.RemoteIp);
        Assert.DoesNotContain("A-Brand-New-Secret-9", entry.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPasswordAsync_ByAdmin_NeedsNoCurrentPasswordAndClearsTheLockout()
    {
        var id = await CreateAsync();
        await FailAsync("duty.op", AccountService.MaxFailedSignIns);

        await _accounts.ResetPasswordAsync(Admin, id, "Reset-By-Admin-77");

        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", "Reset-By-Admin-77", null)).Outcome);
    }

    [Theory]
    [InlineData("short-1")]
    [InlineData("my-duty.op-password")]
    [InlineData("")]
    public async Task CreateAsync_WeakPassword_IsRefusedNamingThePassword(string password)
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(password: password));

        Assert.Contains("password", ex.Errors.Keys);
        Assert.Equal(0, await _accounts.CountAsync());
    }

    [Fact]
    public async Task CreateAsync_ScopedAdminOrUnknownCommunity_IsRefused()
    {
        var scopedAdmin = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(role: Roles.Admin, community: 1));
        var unknown = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(community: 99));

        Assert.Contains("communityId", scopedAdmin.Errors.Keys);
        Assert.Contains("communityId", unknown.Errors.Keys);
    }

    [Fact]
    public async Task CreateAsync_Password_IsStoredHashedNotInPlainText()
    {
        await CreateAsync();

        await using var c = await _db.Factory.OpenAsync();
        var hash = await c.ExecuteScalarAsync<string>("SELECT PasswordHash FROM AppUser WHERE UserName = 'duty.op'");
        Assert.False(string.IsNullOrEmpty(hash));
        Assert.DoesNotContain(Password, hash, StringComparison.Ordinal);
        var audit = await c.QueryAsync<string>("SELECT COALESCE(Details, '') FROM AuditLog");
        Assert.All(audit, d => Assert.DoesNotContain(Password, d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminsWithPasswordAsync_DemoPasswords_NamesOnlyActiveAdminsThatHoldOne()
    {
        const string demo = "Shield-2026-demo";
        await _accounts.CreateAsync(Admin, "admin", "Demo admin", Roles.Admin, null, demo);
        await _accounts.CreateAsync(Admin, "strong.admin", "Strong admin", Roles.Admin, null, "Long-Unique-Pass-123");
        var retired = await _accounts.CreateAsync(Admin, "old.admin", "Retired admin", Roles.Admin, null, demo);
        await _accounts.UpdateAsync(Admin, retired, "Retired admin", Roles.Admin, null, isActive: false);
        await _accounts.CreateAsync(Admin, "viewer", "Demo viewer", Roles.Viewer, null, demo);

        var weak = await _accounts.AdminsWithPasswordAsync(["Watch-2026-demo", demo]);

        Assert.Equal(["admin"], weak);
        Assert.Empty(await _accounts.AdminsWithPasswordAsync(["Watch-2026-demo"]));
    }
}

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

/// <summary>People: sign-in throttled per client (on a fake clock), password changes, the demo-password check.</summary>
public sealed class AccountServiceTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string Wrong = "Not-The-Password-1";
    private const string Attacker = "10.0.0.9";
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

    /// <summary>Wrong passwords from <see cref="Attacker"/>, each after the wait the previous one earned.</summary>
    private Task FailAsync(string name, int times) => ThrottledFailAsync(name, Attacker, times);

    private async Task ThrottledFailAsync(string name, string remoteIp, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var result = await _accounts.SignInAsync(name, Wrong, remoteIp);
            if (result.Outcome == SignInOutcome.Throttled)
            {
                _time.Advance(result.RetryAfter!.Value);
                result = await _accounts.SignInAsync(name, Wrong, remoteIp);
            }

            Assert.Equal(SignInOutcome.Failed, result.Outcome);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

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
    public async Task SignInAsync_ManyWrongPasswordsFromOneAddress_ThatClientWaitsButTheOwnerSignsInFromAnother()
    {
        await CreateAsync();
        await FailAsync("duty.op", 20);

        var attacker = await _accounts.SignInAsync("duty.op", Password, Attacker);
        var owner = await _accounts.SignInAsync("duty.op", Password, "10.0.0.20");

        Assert.Equal(SignInOutcome.Throttled, attacker.Outcome);
        Assert.Null(attacker.User);
        Assert.Equal(SignInOutcome.Succeeded, owner.Outcome);
    }

    [Fact]
    public async Task SignInAsync_AfterThreeFailures_TheClientWaitsOneSecondThenTwoThenFour()
    {
        await CreateAsync();
        await FailAsync("duty.op", 3);
        var waits = new List<TimeSpan?>();

        for (var i = 0; i < 3; i++)
        {
            var refused = await _accounts.SignInAsync("duty.op", Password, Attacker);
            Assert.Equal(SignInOutcome.Throttled, refused.Outcome);
            waits.Add(refused.RetryAfter);
            _time.Advance(refused.RetryAfter!.Value - TimeSpan.FromMilliseconds(1));
            Assert.Equal(SignInOutcome.Throttled, (await _accounts.SignInAsync("duty.op", Wrong, Attacker)).Outcome);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Wrong, Attacker)).Outcome);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], waits);
        var longest = new SignInThrottleOptions().MaxDelay;
        await ThrottledFailAsync("duty.op", Attacker, 20);
        Assert.Equal(longest, (await _accounts.SignInAsync("duty.op", Password, Attacker)).RetryAfter);
        _time.Advance(longest);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_UnknownName_IsThrottledExactlyLikeAKnownOne()
    {
        await CreateAsync();
        var known = new List<(SignInOutcome, TimeSpan?)>();
        var unknown = new List<(SignInOutcome, TimeSpan?)>();

        for (var i = 0; i < 6; i++)
        {
            var k = await _accounts.SignInAsync("duty.op", Wrong, "10.0.0.31");
            var u = await _accounts.SignInAsync("no.such.person", Wrong, "10.0.0.32");
            known.Add((k.Outcome, k.RetryAfter));
            unknown.Add((u.Outcome, u.RetryAfter));
        }

        Assert.Equal(known, unknown);
        Assert.Contains(known, r => r.Item1 == SignInOutcome.Throttled);
    }

    [Fact]
    public async Task SignInAsync_UnknownName_TakesAsLongAsAKnownOne()
    {
        await CreateAsync();
        await _accounts.SignInAsync("duty.op", Password, "10.0.0.40"); // warm-up
        await _accounts.SignInAsync("warm.up", Wrong, "10.0.0.41"); // the dummy hash is made once, at the first unknown name
        var known = TimeSpan.MaxValue;
        var unknown = TimeSpan.MaxValue;

        // The fastest of a few runs: load on the machine only ever adds time.
        for (var i = 0; i < 5; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Wrong, $"10.0.1.{i}")).Outcome);
            known = Min(known, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("nobody." + i, Wrong, $"10.0.2.{i}")).Outcome);
            unknown = Min(unknown, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        Assert.True(unknown >= known * 0.5, $"an unknown name took {unknown.TotalMilliseconds:0.0} ms, a known one {known.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task SignInAsync_ParallelGuesses_AreCountedBeforeAnyIsChecked()
    {
        await CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => _accounts.SignInAsync("duty.op", Wrong, Attacker))));

        Assert.Equal(3, results.Count(r => r.Outcome == SignInOutcome.Failed));
        Assert.Equal(9, results.Count(r => r.Outcome == SignInOutcome.Throttled));
    }

    [Fact]
    public async Task SignInAsync_OneAddressGuessingManyNames_Waits()
    {
        await CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("guess" + i, Wrong, Attacker)).Outcome);
        }

        Assert.Equal(SignInOutcome.Throttled, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, "10.0.0.20")).Outcome);
    }

    [Fact]
    public async Task SignInAsync_GuessesFromManyAddresses_EachFailingClientWaitsFromItsFirstFailure_TheOwnerStillSignsIn()
    {
        await CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await _accounts.SignInAsync("duty.op", Wrong, $"198.51.100.{i}");
        }

        Assert.Equal(SignInOutcome.Failed, (await _accounts.SignInAsync("duty.op", Wrong, "198.51.100.200")).Outcome);
        Assert.Equal(SignInOutcome.Throttled, (await _accounts.SignInAsync("duty.op", Wrong, "198.51.100.200")).Outcome);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, "10.0.0.20")).Outcome);
    }

    [Fact]
    public async Task SignInAsync_WrongThenRight_ForgetsThisClientsFailures()
    {
        await CreateAsync();
        await FailAsync("duty.op", 2);

        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome);

        await FailAsync("duty.op", 2);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome);
    }

    [Fact]
    public async Task SignInAsync_UnknownOrForgedName_IsLoggedAsAKeyedHashNeverAsTyped()
    {
        var log = new ListLogger<AccountService>();
        var accounts = new AccountService(_db.Factory, _time, log);
        await accounts.CreateAsync(Admin, "duty.op", "Duty operator", Roles.Operator, null, Password);
        var forged = "x\n2026-03-02T01:00:00.0000000+00:00 [INF] CommandCenter.Data.Security.AccountService: Sign-in succeeded for admin";
        var huge = new string('A', 500_000);

        await accounts.SignInAsync(forged, Wrong, "10.0.0.50");
        await accounts.SignInAsync(huge, Wrong, "10.0.0.51");
        await accounts.SignInAsync(Password, Wrong, "10.0.0.52"); // a password typed into the user-name box
        await accounts.SignInAsync(forged, Wrong, "10.0.0.53");
        await accounts.SignInAsync("duty.op", Wrong, "10.0.0.54");

        var lines = log.Lines;
        Assert.All(lines, l => Assert.DoesNotContain("Sign-in succeeded", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(Password, l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length < 500, "a log line of " + l.Length + " characters"));
        Assert.Equal(lines[0], lines[3].Replace("10.0.0.53", "10.0.0.50", StringComparison.Ordinal)); // the same name, the same label
        Assert.Contains("unknown user #", lines[0], StringComparison.Ordinal);
        Assert.Contains("duty.op", lines[4], StringComparison.Ordinal);
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
    public async Task ResetPasswordAsync_ByAdmin_NeedsNoCurrentPasswordAndEndsTheWaitsAtThisAccount()
    {
        var id = await CreateAsync();
        await FailAsync("duty.op", 5);
        Assert.Equal(SignInOutcome.Throttled, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome);

        await _accounts.ResetPasswordAsync(Admin, id, "Reset-By-Admin-77");

        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", "Reset-By-Admin-77", Attacker)).Outcome);
    }

    [Fact]
    public async Task ChangePasswordAsync_ManyWrongCurrentPasswords_TheClientWaitsEvenWithTheRightOne()
    {
        var id = await CreateAsync();
        var person = new Actor(ActorKind.User, id.ToString(System.Globalization.CultureInfo.InvariantCulture), "duty.op", null, Attacker);
        for (var i = 0; i < 3; i++)
        {
            var wrong = await Assert.ThrowsAsync<InputValidationException>(() => _accounts.ChangePasswordAsync(person, id, Wrong, "A-Brand-New-Secret-9"));
            Assert.Contains("currentPassword", wrong.Errors.Keys);
        }

        var refused = await Assert.ThrowsAsync<TooManyAttemptsException>(() => _accounts.ChangePasswordAsync(person, id, Password, "A-Brand-New-Secret-9"));

        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", Password, null)).Outcome); // nothing changed
        Assert.Equal(SignInOutcome.Throttled, (await _accounts.SignInAsync("duty.op", Password, Attacker)).Outcome); // one count for both doors
        _time.Advance(refused.RetryAfter);
        await _accounts.ChangePasswordAsync(person, id, Password, "A-Brand-New-Secret-9");
        Assert.Equal(SignInOutcome.Succeeded, (await _accounts.SignInAsync("duty.op", "A-Brand-New-Secret-9", Attacker)).Outcome);
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

/// <summary>Every log line an <see cref="ILogger{T}"/> was given, formatted as the message.</summary>
internal sealed class ListLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _lines.Enqueue(formatter(state, exception));
    }
}

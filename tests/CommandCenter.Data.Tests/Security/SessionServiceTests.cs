using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

/// <summary>Sign-in sessions: opened per sign-in, stored hashed, ended by sign-out, last use recorded, old ones deleted (on a fake clock).</summary>
public sealed class SessionServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private AccountService _accounts = null!;
    private SessionService _sessions = null!;
    private int _userId;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _accounts = new AccountService(_db.Factory, _time, NullLogger<AccountService>.Instance);
        _sessions = new SessionService(_db.Factory, _time, NullLogger<SessionService>.Instance);
        _userId = await _accounts.CreateAsync(Actor.System("tests"), "duty.viewer", "Duty viewer", Roles.Viewer, null, "Correct-Horse-42");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task StartAsync_NewSession_IsOpenWithItsPersonsStateAndStoredOnlyAsAHash()
    {
        var id = await _sessions.StartAsync(_userId);

        var open = await _sessions.FindOpenAsync(id);

        var user = (await _accounts.FindAsync(_userId))!;
        Assert.Equal(new OpenSession(_userId, true, user.SecurityStamp), open);
        Assert.True(id.Length >= 32, "a session id carries at least 24 random bytes");
        await using var c = await _db.Factory.OpenAsync();
        var stored = await c.QuerySingleAsync<string>("SELECT SessionHash FROM UserSession");
        Assert.Equal(Secrets.Hash(id), stored);
        Assert.DoesNotContain(id, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndAsync_OneOfTwoSessions_EndsOnlyThatOneAndSaysWhoseItWas()
    {
        var laptop = await _sessions.StartAsync(_userId);
        var phone = await _sessions.StartAsync(_userId);
        var ended = new List<EndedSession>();
        _sessions.Ended += ended.Add;

        var first = await _sessions.EndAsync(laptop);
        var again = await _sessions.EndAsync(laptop);

        Assert.True(first);
        Assert.False(again);
        Assert.Null(await _sessions.FindOpenAsync(laptop));
        Assert.NotNull(await _sessions.FindOpenAsync(phone));
        Assert.Equal([new EndedSession(_userId, laptop)], ended);
    }

    [Fact]
    public async Task FindOpenAsync_UnknownOrOddIds_AreNotOpen()
    {
        Assert.Null(await _sessions.FindOpenAsync(null));
        Assert.Null(await _sessions.FindOpenAsync(""));
        Assert.Null(await _sessions.FindOpenAsync("ses_unknown-0123456789"));
        Assert.Null(await _sessions.FindOpenAsync(new string('x', 500)));
        Assert.False(await _sessions.EndAsync("ses_unknown-0123456789"));
    }

    [Fact]
    public async Task FindOpenAsync_PersonDisabled_ReportsTheirCurrentStateSoTheCallerCanRefuse()
    {
        var id = await _sessions.StartAsync(_userId);
        var stampAtSignIn = (await _accounts.FindAsync(_userId))!.SecurityStamp;

        await _accounts.UpdateAsync(Actor.System("tests"), _userId, "Duty viewer", Roles.Viewer, null, isActive: false);

        var open = await _sessions.FindOpenAsync(id);
        Assert.NotNull(open);
        Assert.False(open.IsActive);
        Assert.Equal((await _accounts.FindAsync(_userId))!.SecurityStamp, open.SecurityStamp);
        Assert.NotEqual(stampAtSignIn, open.SecurityStamp);
    }

    [Fact]
    public async Task FindOpenAsync_InUse_RecordsTheLastUseAtMostEveryFiveMinutes()
    {
        var id = await _sessions.StartAsync(_userId);

        _time.Advance(TimeSpan.FromMinutes(4));
        await _sessions.FindOpenAsync(id);
        var early = await LastSeenAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        await _sessions.FindOpenAsync(id);

        Assert.Equal(Now, early);
        Assert.Equal(Now + TimeSpan.FromMinutes(6), await LastSeenAsync());
    }

    [Fact]
    public async Task StartAsync_SessionsEndedOrUnusedFor30Days_AreDeleted()
    {
        var stale = await _sessions.StartAsync(_userId);
        var ended = await _sessions.StartAsync(_userId);
        await _sessions.EndAsync(ended);
        _time.Advance(TimeSpan.FromDays(20));
        var recent = await _sessions.StartAsync(_userId);
        _time.Advance(TimeSpan.FromDays(11));

        var fresh = await _sessions.StartAsync(_userId);

        Assert.Null(await _sessions.FindOpenAsync(stale));
        Assert.NotNull(await _sessions.FindOpenAsync(recent));
        Assert.NotNull(await _sessions.FindOpenAsync(fresh));
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UserSession"));
    }

    private async Task<DateTimeOffset> LastSeenAsync()
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.QuerySingleAsync<DateTimeOffset>("SELECT LastSeenAt FROM UserSession");
    }
}

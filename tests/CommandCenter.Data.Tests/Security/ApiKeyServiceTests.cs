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

public sealed class ApiKeyServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.1.1.1");
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private ApiKeyService _keys = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _keys = new ApiKeyService(_db.Factory, _time, NullLogger<ApiKeyService>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task CreateAsync_NewKey_ValidatesWithItsScopesAndCommunity()
    {
        var (info, plaintext) = await _keys.CreateAsync(Admin, "field app", [Scopes.IncidentsWrite, Scopes.IncidentsRead], 1);

        var key = await _keys.ValidateAsync(plaintext);

        Assert.NotNull(key);
        Assert.Equal(info.Id, key.Id);
        Assert.Equal([Scopes.IncidentsWrite, Scopes.IncidentsRead], key.Scopes);
        Assert.Equal(1, key.CommunityId);
        Assert.Equal("admin", key.CreatedBy);
        Assert.StartsWith(key.Prefix, plaintext, StringComparison.Ordinal);
        Assert.True(plaintext.Length >= 40, "a generated key carries at least 32 random bytes");
    }

    [Fact]
    public async Task CreateAsync_StoredKey_IsAHashNotThePlaintext()
    {
        var (_, plaintext) = await _keys.CreateAsync(Admin, "camera platform", [Scopes.AlertsWrite], null);

        await using var c = await _db.Factory.OpenAsync();
        var row = await c.QuerySingleAsync<(string KeyHash, string Prefix, string Scopes)>("SELECT KeyHash, Prefix, Scopes FROM ApiKey");
        Assert.NotEqual(plaintext, row.KeyHash);
        Assert.DoesNotContain(plaintext, row.KeyHash, StringComparison.Ordinal);
        Assert.Equal(Secrets.Hash(plaintext), row.KeyHash);
        Assert.True(row.Prefix.Length < plaintext.Length / 4, "only a short prefix is kept for recognition");
        var audit = await c.QueryAsync<string>("SELECT COALESCE(Details, '') FROM AuditLog");
        Assert.All(audit, d => Assert.DoesNotContain(plaintext, d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateAsync_UnknownEmptyOrHugeKey_IsNull()
    {
        await _keys.CreateAsync(Admin, "hotline", [Scopes.IncidentsWrite], null);

        Assert.Null(await _keys.ValidateAsync("cck_not-a-key"));
        Assert.Null(await _keys.ValidateAsync(""));
        Assert.Null(await _keys.ValidateAsync(null));
        Assert.Null(await _keys.ValidateAsync(new string('k', 5000)));
    }

    [Fact]
    public async Task ValidateAsync_UnknownKeys_AreNotCachedButValidOnesAre()
    {
        var (_, plaintext) = await _keys.CreateAsync(Admin, "hotline", [Scopes.IncidentsWrite], null);

        for (var i = 0; i < 2000; i++)
        {
            Assert.Null(await _keys.ValidateAsync(Secrets.New("cck_", 32)));
        }

        Assert.Equal(0, _keys.CachedKeyCount);
        Assert.NotNull(await _keys.ValidateAsync(plaintext));
        Assert.Equal(1, _keys.CachedKeyCount);
    }

    [Fact]
    public async Task ValidateAsync_KeyUnknownThenProvisionedElsewhere_IsAcceptedAtOnce()
    {
        var key = Secrets.New("cck_", 32);
        Assert.Null(await _keys.ValidateAsync(key));

        // Another node (or the bootstrap of a restarted one) writes the key: no negative answer is remembered here.
        await new ApiKeyService(_db.Factory, _time, NullLogger<ApiKeyService>.Instance).CreateAsync(Admin, "camera platform", [Scopes.AlertsWrite], null, plaintext: key);

        Assert.NotNull(await _keys.ValidateAsync(key));
    }

    [Fact]
    public async Task RevokeAsync_ValidKey_NextValidationIsNullAndRevocationIsAudited()
    {
        var (info, plaintext) = await _keys.CreateAsync(Admin, "sensor gateway", [Scopes.ReadingsWrite], null);
        Assert.NotNull(await _keys.ValidateAsync(plaintext)); // now cached

        Assert.True(await _keys.RevokeAsync(Admin, info.Id));

        Assert.Null(await _keys.ValidateAsync(plaintext));
        Assert.False(await _keys.RevokeAsync(Admin, info.Id));
        Assert.True((await _keys.ListAsync()).Single(k => k.Id == info.Id).IsRevoked);
        var entry = Assert.Single(await new AuditLog(_db.Factory).ListAsync(new AuditFilter(Action: "apikey.revoked")));
        Assert.Equal("admin", entry.ActorName);
        Assert.Equal(info.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.EntityId);
    }

    [Fact]
    public async Task ValidateAsync_KeyRevokedElsewhere_StopsWorkingWhenTheCacheExpires()
    {
        var (info, plaintext) = await _keys.CreateAsync(Admin, "field app", [Scopes.IncidentsWrite], null);
        Assert.NotNull(await _keys.ValidateAsync(plaintext));
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE ApiKey SET RevokedAt = @At WHERE Id = @Id", new { At = Now, info.Id }, tx));

        var cached = await _keys.ValidateAsync(plaintext);
        _time.Advance(TimeSpan.FromSeconds(31));
        var expired = await _keys.ValidateAsync(plaintext);

        Assert.NotNull(cached);
        Assert.Null(expired);
    }

    [Fact]
    public async Task ValidateAsync_Use_RecordsLastUsedAtAtMostOnceAMinute()
    {
        var (info, plaintext) = await _keys.CreateAsync(Admin, "field app", [Scopes.IncidentsWrite], null);

        await _keys.ValidateAsync(plaintext);
        _time.Advance(TimeSpan.FromSeconds(10));
        await _keys.ValidateAsync(plaintext);

        Assert.Equal(Now, (await _keys.ListAsync()).Single(k => k.Id == info.Id).LastUsedAt);
        _time.Advance(TimeSpan.FromMinutes(2));
        await _keys.ValidateAsync(plaintext);
        Assert.Equal(Now + TimeSpan.FromSeconds(130), (await _keys.ListAsync()).Single(k => k.Id == info.Id).LastUsedAt);
    }

    [Fact]
    public async Task CreateAsync_NoOrUnknownScopeOrUnknownCommunity_IsRefused()
    {
        var none = await Assert.ThrowsAsync<InputValidationException>(() => _keys.CreateAsync(Admin, "x", [], null));
        var unknown = await Assert.ThrowsAsync<InputValidationException>(() => _keys.CreateAsync(Admin, "x", ["root"], null));
        var community = await Assert.ThrowsAsync<InputValidationException>(() => _keys.CreateAsync(Admin, "x", [Scopes.LiveRead], 42));

        Assert.Contains("scopes", none.Errors.Keys);
        Assert.Contains("scopes", unknown.Errors.Keys);
        Assert.Contains("communityId", community.Errors.Keys);
        Assert.Empty(await _keys.ListAsync());
    }
}

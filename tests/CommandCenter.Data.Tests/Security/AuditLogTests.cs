using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Data.Tests.Security;

/// <summary>The audit log is append-only in the database itself, not only in the code.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private SqliteDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await _db.Factory.WriteAsync(async (c, tx) =>
        {
            await AuditLog.WriteAsync(c, tx, new Actor(ActorKind.ApiKey, "7", "key:hotline", 1, "10.3.3.3"), Now,
                "incident.reported", "incident", 42L, new { title = "x" });
            return 0;
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("UPDATE AuditLog SET ActorName = 'someone else'")]
    [InlineData("DELETE FROM AuditLog")]
    public async Task Database_UpdateOrDeleteOfAuditLog_IsRefused(string sql)
    {
        var ex = await Assert.ThrowsAsync<SqliteException>(() => _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync(sql, transaction: tx)));

        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        var entry = Assert.Single(await new AuditLog(_db.Factory).ListAsync(new AuditFilter()));
        Assert.Equal("key:hotline", entry.ActorName);
    }

    [Fact]
    public async Task ListAsync_Filters_ByActionActorEntityAndTime()
    {
        var log = new AuditLog(_db.Factory);

        var entry = Assert.Single(await log.ListAsync(new AuditFilter(Action: "incident.reported", Actor: "key:hotline", EntityType: "incident", From: Now, To: Now.AddSeconds(1))));

        Assert.Equal("ApiKey", entry.ActorKind);
        Assert.Equal("42", entry.EntityId);
        Assert.Equal("10.3.3.3", entry.RemoteIp);
        Assert.Empty(await log.ListAsync(new AuditFilter(Action: "user.created")));
        Assert.Empty(await log.ListAsync(new AuditFilter(From: Now.AddSeconds(1))));
        Assert.Equal(["incident.reported"], await log.ActionsAsync());
    }
}

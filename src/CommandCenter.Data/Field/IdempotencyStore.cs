using System.Security.Cryptography;
using System.Text;
using CommandCenter.Data.Infrastructure;
using Dapper;

namespace CommandCenter.Data.Field;

/// <summary>An answer stored under an Idempotency-Key; <see cref="StatusCode"/> is null while it is being written.</summary>
public sealed record StoredAnswer(string RequestHash, int? StatusCode, string? Body, string? Headers);

/// <summary>
/// The answers of requests sent with an <c>Idempotency-Key</c>, per caller, for <see cref="Lifetime"/>. The record is
/// inserted in the transaction of the action it answers (<see cref="WriteEnlistment"/>), so a retried request either
/// finds it (the action happened) or does not (nothing happened); the answer itself is added just after the commit.
/// Expired records are deleted on write, a hundred at a time.
/// </summary>
public sealed class IdempotencyStore(DbConnectionFactory db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public const int MaxKeyLength = 200;

    /// <summary>The hash of what makes two requests the same: method, path, the version they name and the body.</summary>
    public static string Hash(string method, string path, string? ifMatch, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes(method + " " + path + "\n" + (ifMatch ?? "") + "\n");
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all.AsSpan(head.Length));
        return Convert.ToHexString(SHA256.HashData(all));
    }

    public async Task<StoredAnswer?> FindAsync(string caller, string key, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FieldSql.IdempotencyFind,
            new { Caller = caller, IdemKey = key, Now = time.GetUtcNow() }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : new StoredAnswer(row.RequestHash, row.StatusCode, row.ResponseBody, row.ResponseHeaders);
    }

    /// <summary>Enlists the record's insert in the next write of this flow; <see cref="WriteEnlistment.Ran"/> tells whether a write took it.</summary>
    public WriteEnlistment.Scope Enlist(string caller, string key, string requestHash, out WriteEnlistment enlistment)
    {
        var now = time.GetUtcNow();
        return WriteEnlistment.Enlist(async (c, tx, ct) =>
        {
            await c.ExecuteAsync(new CommandDefinition(db.Pick(FieldSql.IdempotencyDeleteExpired_Sqlite, FieldSql.IdempotencyDeleteExpired_SqlServer),
                new { Now = now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(FieldSql.IdempotencyInsert,
                new { Caller = caller, IdemKey = key, RequestHash = requestHash, Now = now, ExpiresAt = now + Lifetime }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }, out enlistment);
    }

    /// <summary>Adds the answer to the record written with the action.</summary>
    public async Task CompleteAsync(string caller, string key, int statusCode, string body, string? headers, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(FieldSql.IdempotencyComplete,
            new { Caller = caller, IdemKey = key, StatusCode = statusCode, ResponseBody = body, ResponseHeaders = headers }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);

    private sealed class Row
    {
        public string RequestHash { get; init; } = "";
        public int? StatusCode { get; init; }
        public string? ResponseBody { get; init; }
        public string? ResponseHeaders { get; init; }
    }
}

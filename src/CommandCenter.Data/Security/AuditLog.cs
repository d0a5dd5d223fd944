using System.Data.Common;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using Dapper;

namespace CommandCenter.Data.Security;

public sealed record AuditEntry(long Id, DateTimeOffset At, string ActorKind, string ActorId, string ActorName,
    string Action, string EntityType, string? EntityId, string? Details, string? RemoteIp);

public sealed record AuditFilter(string? Action = null, string? Actor = null, string? EntityType = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Top = 200);

/// <summary>
/// The append-only audit log: who, when, what, from where. Written inside the transaction of the change it
/// describes, so a change and its audit entry are committed together or not at all. The database refuses
/// updates and deletes of the table (triggers).
/// </summary>
public sealed class AuditLog(DbConnectionFactory db)
{
    public static Task WriteAsync(DbConnection c, DbTransaction tx, Actor actor, DateTimeOffset at, string action,
        string entityType, object? entityId, object? details = null, CancellationToken ct = default) =>
        c.ExecuteAsync(new CommandDefinition(SecuritySql.InsertAudit, new
        {
            At = at,
            ActorKind = actor.Kind.ToString(),
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId?.ToString(),
            Details = details is null ? null : JsonSerializer.Serialize(details),
            actor.RemoteIp,
        }, tx, cancellationToken: ct));

    /// <summary>
    /// Runs one UPDATE in its own transaction and, when it changed exactly one row, writes the audit entry in
    /// the same transaction. Returns whether the row changed (false: unknown, out of scope, or already so).
    /// </summary>
    public static Task<bool> ChangeAndAuditAsync(DbConnectionFactory db, string sql, object args, Actor actor, DateTimeOffset at,
        string action, string entityType, object entityId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.WriteAsync(async (c, tx) =>
        {
            var changed = await c.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct)).ConfigureAwait(false) == 1;
            if (changed)
            {
                await WriteAsync(c, tx, actor, at, action, entityType, entityId, null, ct).ConfigureAwait(false);
            }

            return changed;
        }, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuditRow>(new CommandDefinition(db.Pick(SecuritySql.ListAudit_Sqlite, SecuritySql.ListAudit_SqlServer), new
        {
            Action = Blank(filter.Action),
            Actor = Blank(filter.Actor),
            EntityType = Blank(filter.EntityType),
            filter.From,
            filter.To,
            Top = Math.Clamp(filter.Top, 1, 2000),
        }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(r.Id, r.At, r.ActorKind, r.ActorId, r.ActorName, r.Action, r.EntityType, r.EntityId, r.Details, r.RemoteIp)).ToList();
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<string>(new CommandDefinition(SecuritySql.AuditActions, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private sealed class AuditRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string ActorKind { get; init; } = "";
        public string ActorId { get; init; } = "";
        public string ActorName { get; init; } = "";
        public string Action { get; init; } = "";
        public string EntityType { get; init; } = "";
        public string? EntityId { get; init; }
        public string? Details { get; init; }
        public string? RemoteIp { get; init; }
    }
}

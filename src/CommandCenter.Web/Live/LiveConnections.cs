using System.Collections.Concurrent;
using System.Security.Claims;
using CommandCenter.Web.Security;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Live;

/// <summary>
/// The open connections of <see cref="LiveHub"/> on this node with the principal each was opened by, so that a revoked
/// key or device, a disabled person, a changed role or password, or an ended sign-in session loses its connections:
/// at once when the revocation happens on this node (<see cref="CredentialValidator.Revoked"/>), and otherwise at the
/// next <see cref="RevalidateAsync"/> (every <see cref="SecurityOptions.RevalidationInterval"/>, by
/// <see cref="LiveConnectionRevalidator"/>), which checks each distinct principal once against the database.
/// </summary>
public sealed class LiveConnections : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly CredentialValidator _credentials;
    private readonly ILogger<LiveConnections> _logger;

    public LiveConnections(CredentialValidator credentials, ILogger<LiveConnections> logger)
    {
        _credentials = credentials;
        _logger = logger;
        _credentials.Revoked += OnRevoked;
    }

    private sealed record Entry(ClaimsPrincipal User, Action Abort);

    /// <summary>Open connections on this node.</summary>
    public int Count => _open.Count;

    /// <summary>Registers an open connection; <paramref name="abort"/> ends it (<c>HubCallerContext.Abort</c>).</summary>
    public void Add(string connectionId, ClaimsPrincipal user, Action abort) => _open[connectionId] = new Entry(user, abort);

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>Checks every distinct principal with open connections once, and ends the connections of those no longer valid.</summary>
    public async Task RevalidateAsync(CancellationToken ct)
    {
        foreach (var group in _open.ToArray().GroupBy(e => Identity(e.Value.User), StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var user = group.First().Value.User;
            bool valid;
            try
            {
                valid = await _credentials.IsValidAsync(user, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // As for open pages: a check that cannot be made ends the connections; clients reconnect and are checked afresh.
                _logger.LogWarning(ex, "Could not re-validate {Principal}; closing its live hub connection(s)", user.Identity?.Name);
                valid = false;
            }

            if (!valid)
            {
                Close(group.ToList(), user, "no longer valid");
            }
        }
    }

    private void OnRevoked(RevokedCredential credential)
    {
        var matching = _open.Where(e => credential.Matches(e.Value.User)).ToList();
        if (matching.Count > 0)
        {
            Close(matching, matching[0].Value.User, "revoked");
        }
    }

    private void Close(IReadOnlyList<KeyValuePair<string, Entry>> connections, ClaimsPrincipal user, string reason)
    {
        foreach (var (id, entry) in connections)
        {
            if (_open.TryRemove(id, out _))
            {
                entry.Abort();
            }
        }

        _logger.LogWarning("Closed {Count} live hub connection(s) of {Principal}: the credential is {Reason}", connections.Count, user.Identity?.Name, reason);
    }

    /// <summary>What makes two connections "the same principal" for one check: kind, id, stamp and session.</summary>
    private static string Identity(ClaimsPrincipal user) =>
        string.Join('|', user.Kind(), user.FindFirstValue(ClaimTypes.NameIdentifier), user.Stamp(), user.SessionId());

    public void Dispose() => _credentials.Revoked -= OnRevoked;
}

/// <summary>Runs <see cref="LiveConnections.RevalidateAsync"/> every <see cref="SecurityOptions.RevalidationInterval"/> on the injected clock.</summary>
public sealed class LiveConnectionRevalidator(
    LiveConnections connections, IOptions<SecurityOptions> options, TimeProvider time, ILogger<LiveConnectionRevalidator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevalidationInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (connections.Count == 0) continue;
            try
            {
                await connections.RevalidateAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Re-validating the live hub connections failed");
            }
        }
    }
}

using System.Security.Claims;
using CommandCenter.Data.Security;

namespace CommandCenter.Web.Security;

/// <summary>A credential that stopped being valid on this node: a key, a device, a person, or one sign-in session of a person.</summary>
public sealed record RevokedCredential(string Kind, int Id, string? SessionId = null)
{
    /// <summary>Whether <paramref name="user"/> signed in with this credential.</summary>
    public bool Matches(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Kind() == Kind && user.Id() == Id
               && (SessionId is null || string.Equals(user.SessionId(), SessionId, StringComparison.Ordinal));
    }
}

/// <summary>
/// Whether a principal that was let in earlier may still be served: the one check behind every request of a person
/// (cookie validation), the re-validation of open pages (<see cref="RevalidatingAuthStateProvider"/>) and of live hub
/// connections (<see cref="Live.LiveConnections"/>), and each <c>GetSnapshot</c> call. Reads the database every time:
/// <list type="bullet">
/// <item>an API key: not revoked;</item>
/// <item>a device: not revoked, and still holding the token it presented (a new enrollment code ends the old one);</item>
/// <item>a person: active, the security stamp unchanged (role, scope, activity, password), and the sign-in session open.</item>
/// </list>
/// It also gathers the revocations made on this node (<see cref="Revoked"/>) from the data services' events, so that
/// open connections of a revoked credential can be closed at once rather than at the next re-validation.
/// </summary>
public sealed class CredentialValidator : IDisposable
{
    private readonly AccountService _accounts;
    private readonly SessionService _sessions;
    private readonly DeviceService _devices;
    private readonly ApiKeyService _keys;
    private readonly ILogger<CredentialValidator> _logger;

    public CredentialValidator(AccountService accounts, SessionService sessions, DeviceService devices, ApiKeyService keys, ILogger<CredentialValidator> logger)
    {
        _accounts = accounts;
        _sessions = sessions;
        _devices = devices;
        _keys = keys;
        _logger = logger;
        _keys.Revoked += OnKeyRevoked;
        _devices.TokenRevoked += OnDeviceRevoked;
        _accounts.StampRotated += OnStampRotated;
        _sessions.Ended += OnSessionEnded;
    }

    /// <summary>Raised when a credential was revoked on this node (another node's revocations are found by re-validation).</summary>
    public event Action<RevokedCredential>? Revoked;

    public async Task<bool> IsValidAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.Id() is not { } id) return false;
        switch (user.Kind())
        {
            case Principals.KeyKind:
                return await _keys.IsActiveAsync(id, ct);
            case Principals.DeviceKind:
                return user.Stamp() is { Length: > 0 } tokenHash && await _devices.HoldsTokenAsync(id, tokenHash, ct);
            case Principals.UserKind:
                return await _sessions.FindOpenAsync(user.SessionId(), ct) is { IsActive: true } session
                       && session.UserId == id
                       && string.Equals(session.SecurityStamp, user.Stamp(), StringComparison.Ordinal);
            default:
                return false;
        }
    }

    private void OnKeyRevoked(int id) => Raise(new RevokedCredential(Principals.KeyKind, id));

    private void OnDeviceRevoked(int id) => Raise(new RevokedCredential(Principals.DeviceKind, id));

    private void OnStampRotated(int id) => Raise(new RevokedCredential(Principals.UserKind, id));

    private void OnSessionEnded(EndedSession session) => Raise(new RevokedCredential(Principals.UserKind, session.UserId, session.SessionId));

    private void Raise(RevokedCredential credential)
    {
        if (Revoked is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<RevokedCredential>>())
        {
            try
            {
                handler(credential);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Closing the connections of a revoked {Kind} {Id} failed", credential.Kind, credential.Id);
            }
        }
    }

    public void Dispose()
    {
        _keys.Revoked -= OnKeyRevoked;
        _devices.TokenRevoked -= OnDeviceRevoked;
        _accounts.StampRotated -= OnStampRotated;
        _sessions.Ended -= OnSessionEnded;
    }
}

using System.Net;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Live;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Web.Tests.Security;

/// <summary>Connections of /hubs/live end with their credential: a key or device revoked, a person disabled or changed, a session signed out.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveRevocationTests(CommandCenterFactory app)
{
    /// <summary>Long enough for a slow runner, far below the 30-second re-validation: what ends within it ended "at once".</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hub_KeyRevokedOnThisNode_EndsTheConnectionAtOnceAndRefusesANewOne()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await Callers.CreateKeyAsync(keys, "hub key soon revoked", [Scopes.LiveRead]);
        var id = (await keys.ListAsync()).Single(k => k.Name == "hub key soon revoked").Id;
        await using var hub = await LiveHubClient.ConnectAsync(app.Server, (Schemes.ApiKeyHeader, key));
        await hub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot");

        Assert.True(await keys.RevokeAsync(Callers.TestActor, id));

        await hub.Closed.WaitAsync(AtOnce);
        Assert.Equal(HubConnectionState.Disconnected, hub.Connection.State);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => LiveHubClient.ConnectAsync(app.Server, (Schemes.ApiKeyHeader, key)));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task Hub_DeviceRevokedOnThisNode_EndsTheConnectionAtOnce()
    {
        var token = await Callers.EnrollDeviceAsync(app, "hub screen soon revoked");
        var devices = app.Services.GetRequiredService<DeviceService>();
        var id = (await devices.ListAsync()).Single(d => d.Name == "hub screen soon revoked").Id;
        await using var hub = await LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.DeviceCookieName + "=" + token));
        await hub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot");

        Assert.True(await devices.RevokeAsync(Callers.TestActor, id));

        await hub.Closed.WaitAsync(AtOnce);
    }

    [Fact]
    public async Task Hub_DeviceGivenANewEnrollmentCode_EndsTheConnectionOfTheOldToken()
    {
        var token = await Callers.EnrollDeviceAsync(app, "hub screen re-enrolled");
        var devices = app.Services.GetRequiredService<DeviceService>();
        var id = (await devices.ListAsync()).Single(d => d.Name == "hub screen re-enrolled").Id;
        await using var hub = await LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.DeviceCookieName + "=" + token));

        TestSecrets.Register("new enrollment code", await devices.NewEnrollmentCodeAsync(Callers.TestActor, id));

        await hub.Closed.WaitAsync(AtOnce);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("role changed")]
    [InlineData("password reset")]
    public async Task Hub_PersonChangedOnThisNode_EndsTheConnectionAtOnce(string change)
    {
        var userName = "hub." + change.Replace(' ', '.');
        var (id, cookie) = await SignedInPersonAsync(userName);
        await using var hub = await LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.UserCookieName + "=" + cookie));
        await hub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot");
        var accounts = app.Services.GetRequiredService<AccountService>();

        await (change switch
        {
            "disabled" => accounts.UpdateAsync(Callers.TestActor, id, userName, Roles.Viewer, null, isActive: false),
            "role changed" => accounts.UpdateAsync(Callers.TestActor, id, userName, Roles.Operator, null, isActive: true),
            _ => accounts.ResetPasswordAsync(Callers.TestActor, id, TestSecrets.Register("reset password", "Reset-By-Admin-2026")),
        });

        await hub.Closed.WaitAsync(AtOnce);
    }

    [Fact]
    public async Task Hub_KeyRevokedOnAnotherNode_GetSnapshotIsRefusedAndEndsTheConnection()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await Callers.CreateKeyAsync(keys, "hub key revoked elsewhere", [Scopes.LiveRead]);
        var id = (await keys.ListAsync()).Single(k => k.Name == "hub key revoked elsewhere").Id;
        await using var hub = await LiveHubClient.ConnectAsync(app.Server, (Schemes.ApiKeyHeader, key));
        await hub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot");

        // Another node shares the database: the row changes, this node hears nothing.
        await RevokeElsewhereAsync(app.Services, "UPDATE ApiKey SET RevokedAt = @At WHERE Id = @Id", id);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => hub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot"));
        Assert.True(refused is HubException { Message: var m } && m.Contains("Unauthorized", StringComparison.Ordinal) || hub.Connection.State == HubConnectionState.Disconnected,
            $"GetSnapshot answered {refused.GetType().Name}: {refused.Message}");
        await hub.Closed.WaitAsync(AtOnce);
    }

    [Fact]
    public async Task Hub_KeyRevokedBesideAnother_LeavesTheOtherConnected()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await Callers.CreateKeyAsync(keys, "hub key kept", [Scopes.LiveRead]);
        var other = await Callers.CreateKeyAsync(keys, "hub key revoked beside it", [Scopes.LiveRead]);
        var otherId = (await keys.ListAsync()).Single(k => k.Name == "hub key revoked beside it").Id;
        await using var kept = await LiveHubClient.ConnectAsync(app.Server, (Schemes.ApiKeyHeader, key));
        await using var revoked = await LiveHubClient.ConnectAsync(app.Server, (Schemes.ApiKeyHeader, other));
        await app.Services.GetRequiredService<LiveConnections>().RevalidateAsync(CancellationToken.None);

        Assert.True(await keys.RevokeAsync(Callers.TestActor, otherId));
        await revoked.Closed.WaitAsync(AtOnce);

        Assert.Equal(HubConnectionState.Connected, kept.Connection.State);
        Assert.True((await kept.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot")).Grids.Count > 0);
    }

    private async Task<(int Id, string Cookie)> SignedInPersonAsync(string userName)
    {
        var password = TestSecrets.Register("password of " + userName, "Hub-Person-" + userName.Length + "-2026x");
        var id = await app.Services.GetRequiredService<AccountService>().CreateAsync(Callers.TestActor, userName, userName, Roles.Viewer, null, password);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (_, cookie) = await Callers.SignInAsync(client, userName, password);
        return (id, cookie ?? throw new InvalidOperationException("no sign-in cookie for " + userName));
    }

    /// <summary>Changes a credential's row directly, as another node sharing the database would: no event reaches this node.</summary>
    internal static async Task RevokeElsewhereAsync(IServiceProvider services, string sql, object id)
    {
        await using var c = await services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        Assert.Equal(1, await c.ExecuteAsync(sql, new { Id = id, At = DateTimeOffset.UtcNow }));
    }
}

/// <summary>
/// The periodic re-validation of open hub connections on a fake clock: credentials changed by "another node" (straight
/// in the database, so no event reaches this node) lose their connections when the interval has passed, not before
/// the clock moves, and valid ones keep theirs.
/// </summary>
public sealed class LiveRevalidationTests : IClassFixture<FakeRevalidationClockApp>
{
    private readonly FakeRevalidationClockApp _app;

    public LiveRevalidationTests(FakeRevalidationClockApp app) => _app = app;

    [Fact]
    public async Task Revalidation_CredentialsChangedOnAnotherNode_EndTheirConnectionsWithinTheInterval()
    {
        var services = _app.Services;
        var keys = services.GetRequiredService<ApiKeyService>();
        var devices = services.GetRequiredService<DeviceService>();
        var accounts = services.GetRequiredService<AccountService>();
        var revokedKey = await Callers.CreateKeyAsync(keys, "periodic: revoked", [Scopes.LiveRead]);
        var keptKey = await Callers.CreateKeyAsync(keys, "periodic: kept", [Scopes.LiveRead]);
        var deviceToken = await Callers.EnrollDeviceAsync(_app, "periodic screen");
        var disabled = await SignInAsync(accounts, "periodic.disabled");
        var signedOut = await SignInAsync(accounts, "periodic.signedout");
        var keyId = (await keys.ListAsync()).Single(k => k.Name == "periodic: revoked").Id;
        var deviceId = (await devices.ListAsync()).Single(d => d.Name == "periodic screen").Id;

        await using var key = await LiveHubClient.ConnectAsync(_app.Server, (Schemes.ApiKeyHeader, revokedKey));
        await using var kept = await LiveHubClient.ConnectAsync(_app.Server, (Schemes.ApiKeyHeader, keptKey));
        await using var device = await LiveHubClient.ConnectAsync(_app.Server, ("Cookie", Schemes.DeviceCookieName + "=" + deviceToken));
        await using var person = await LiveHubClient.ConnectAsync(_app.Server, ("Cookie", Schemes.UserCookieName + "=" + disabled.Cookie));
        await using var session = await LiveHubClient.ConnectAsync(_app.Server, ("Cookie", Schemes.UserCookieName + "=" + signedOut.Cookie));
        var ending = new[] { key, device, person, session };

        await LiveRevocationTests.RevokeElsewhereAsync(services, "UPDATE ApiKey SET RevokedAt = @At WHERE Id = @Id", keyId);
        await LiveRevocationTests.RevokeElsewhereAsync(services, "UPDATE WallDevice SET RevokedAt = @At, TokenHash = NULL WHERE Id = @Id", deviceId);
        await LiveRevocationTests.RevokeElsewhereAsync(services, "UPDATE AppUser SET IsActive = 0, SecurityStamp = 'elsewhere' WHERE Id = @Id", disabled.Id);
        await LiveRevocationTests.RevokeElsewhereAsync(services, "UPDATE UserSession SET EndedAt = @At WHERE UserId = @Id", signedOut.Id);
        Assert.All(ending, h => Assert.False(h.Closed.IsCompleted, "nothing ends before the clock reaches the interval"));

        _app.Clock.Advance(services.GetRequiredService<IOptions<SecurityOptions>>().Value.RevalidationInterval);

        await Task.WhenAll(ending.Select(h => h.Closed)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Connected, kept.Connection.State);
        Assert.True((await kept.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot")).Version >= 0);
        Assert.Equal(1, services.GetRequiredService<LiveConnections>().Count);
    }

    private async Task<(int Id, string Cookie)> SignInAsync(AccountService accounts, string userName)
    {
        var password = TestSecrets.Register("password of " + userName, "Periodic-Person-2026-" + userName.Length);
        var id = await accounts.CreateAsync(Callers.TestActor, userName, userName, Roles.Viewer, null, password);
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (_, cookie) = await Callers.SignInAsync(client, userName, password);
        return (id, cookie!);
    }
}

/// <summary>An app (no demo street: it starts in a moment) whose hub re-validation runs on a fake clock the test moves.</summary>
public sealed class FakeRevalidationClockApp : CommandCenterFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Demo:Enabled", "false");
        builder.ConfigureTestServices(services => services.AddSingleton(sp => new LiveConnectionRevalidator(
            sp.GetRequiredService<LiveConnections>(), sp.GetRequiredService<IOptions<SecurityOptions>>(), Clock,
            sp.GetRequiredService<ILogger<LiveConnectionRevalidator>>())));
    }
}

/// <summary>
/// A client of /hubs/live over WebSockets through the test server, and a task that completes when it is closed.
/// WebSockets as real clients use them: the credential is checked once, when the socket opens, and never again by the
/// HTTP pipeline (over long polling every poll is a request of its own that authentication would refuse).
/// </summary>
internal sealed class LiveHubClient : IAsyncDisposable
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveHubClient(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public Task Closed => _closed.Task;

    public static async Task<LiveHubClient> ConnectAsync(TestServer server, (string Name, string Value) credential)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/live"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.Headers[credential.Name] = credential.Value;
                o.WebSocketFactory = async (context, ct) =>
                {
                    var sockets = server.CreateWebSocketClient();
                    sockets.ConfigureRequest = r => r.Headers[credential.Name] = credential.Value;
                    return await sockets.ConnectAsync(context.Uri, ct);
                };
            })
            .AddJsonProtocol(o => CommandCenterHosting.ConfigureJson(o.PayloadSerializerOptions))
            .Build();
        var client = new LiveHubClient(connection);
        try
        {
            await connection.StartAsync();
            // The server runs OnConnectedAsync (which registers the connection) after the handshake the client waited for;
            // it answers invocations only after that: one call makes "connected" mean "registered" too.
            await connection.InvokeAsync<LiveSnapshot>("GetSnapshot");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return client;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

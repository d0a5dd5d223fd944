using CommandCenter.Tests.Shared;
using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using Dapper;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace CommandCenter.Web.Tests.Console;

/// <summary>
/// A bUnit context over a real SQLite file built by the real migrations and the real services (accounts, keys, devices,
/// audit, incident queries, ingestion), with a tiny street: community 1 "North" (grids 1, 2), community 2 "South" (grid 3),
/// a camera in each. The signed-in person is set with <see cref="SignIn"/>; pages get the client address "203.0.113.9".
/// </summary>
internal sealed class ConsoleTestHost : IAsyncDisposable
{
    public const string RemoteIp = "203.0.113.9";

    /// <summary>Tuesday 3 June 2025, 10:30 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 3, 2, 30, 0, TimeSpan.Zero);

    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    private ConsoleTestHost(string folder, DbConnectionFactory db)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        Folder = folder;
        Db = db;
        Time = new FakeTimeProvider(Start);
        Clock = new BoardClock(Time, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Board = new LiveBoard(Clock);
        Accounts = new AccountService(db, Time, NullLogger<AccountService>.Instance);
        Keys = new ApiKeyService(db, Time, NullLogger<ApiKeyService>.Instance);
        Devices = new DeviceService(db, Time, NullLogger<DeviceService>.Instance);
        Audit = new AuditLog(db);
        Incidents = new IncidentQueries(db, Time);
        Ingestion = new TestHandlers(db, Board, Clock);

        Ctx = new BunitContext();
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Ctx.Services.AddSingleton<TimeProvider>(Time);
        Ctx.Services.AddSingleton(Clock);
        Ctx.Services.AddSingleton<ILiveBoard>(Board);
        Ctx.Services.AddSingleton(Accounts);
        Ctx.Services.AddSingleton(Keys);
        Ctx.Services.AddSingleton(new CommandCenter.Data.Field.StaffAccountService(db, Keys, Time, NullLogger<CommandCenter.Data.Field.StaffAccountService>.Instance));
        Ctx.Services.AddSingleton(Devices);
        Ctx.Services.AddSingleton(Audit);
        Ctx.Services.AddSingleton(Incidents);
        Ctx.Services.AddSingleton(Ingestion.Actions);
        Ctx.Services.AddSingleton(new CommandCenter.Data.Alarms.CameraAlertActionHandler(db, Board, Clock));
        Ctx.Services.AddSingleton(new CommandCenter.Data.Alarms.AcknowledgeWaterAlarmHandler(db, Board, Clock));
        Ctx.Services.AddSingleton(new CommandCenter.Data.Incidents.ConvertToIncidentHandler(db, Board, Clock,
            new CommandCenter.Data.Incidents.LoopSettingsProvider(db, new CommandCenter.Data.Incidents.IncidentLoopOptions(), Clock), NullLogger<CommandCenter.Data.Incidents.ConvertToIncidentHandler>.Instance));
        Ctx.Services.AddSingleton(Frigate);
        Ctx.Services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgery>();
        Auth = Ctx.AddAuthorization();
    }

    /// <summary>Frigate's address for snapshot links (none unless a test sets <c>BaseUrl</c>).</summary>
    public CommandCenter.Web.Ingestion.FrigateOptions Frigate { get; } = new();

    public string Folder { get; }
    public DbConnectionFactory Db { get; }
    public FakeTimeProvider Time { get; }
    public BoardClock Clock { get; }
    public LiveBoard Board { get; }
    public AccountService Accounts { get; }
    public ApiKeyService Keys { get; }
    public DeviceService Devices { get; }
    public AuditLog Audit { get; }
    public IncidentQueries Incidents { get; }
    public TestHandlers Ingestion { get; }
    public BunitContext Ctx { get; }
    public BunitAuthorizationContext Auth { get; }

    public static async Task<ConsoleTestHost> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-console-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "test.db")}" });
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        await InsertStreetAsync(db);
        var host = new ConsoleTestHost(folder, db);
        host.Board.Load(await new BoardLoader(db, host.Clock).LoadAsync());
        return host;
    }

    /// <summary>Creates a person in the database and makes them the signed-in user of the pages (claims as the cookie would carry them).</summary>
    public async Task<int> SignInAsNewUserAsync(string userName, string role, int? communityId = null)
    {
        var id = await Accounts.CreateAsync(Actor.System("test"), userName, userName + " (test)", role, communityId, "a-long-test-password-2026");
        SignIn(id, userName, role, communityId);
        return id;
    }

    public void SignIn(int id, string userName, string role, int? communityId = null)
    {
        Auth.SetAuthorized(userName);
        Auth.SetRoles(role);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id.ToString(CultureInfo.InvariantCulture)),
            new(Principals.KindClaim, Principals.UserKind),
        };
        if (communityId is not null) claims.Add(new Claim(Principals.CommunityClaim, communityId.Value.ToString(CultureInfo.InvariantCulture)));
        Auth.SetClaims([.. claims]);
    }

    public IRenderedComponent<T> Render<T>() where T : Microsoft.AspNetCore.Components.IComponent =>
        Ctx.Render<T>(p => p.AddCascadingValue("RemoteIp", RemoteIp));

    /// <summary>Rows of the audit log, newest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string? action = null) => Audit.ListAsync(new AuditFilter(Action: action));

    private static Task InsertStreetAsync(DbConnectionFactory db) => db.WriteAsync(async (c, tx) =>
    {
        const string polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[117.5,34.8],[117.51,34.8],[117.51,34.81],[117.5,34.81],[117.5,34.8]]]}";
        await c.ExecuteAsync("INSERT INTO Street (Id, Code, Name, NameZh) VALUES (1, '370402003', 'Test Street', '测试街道')", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (1, 1, '370402003001', 'North', '北社区'), (2, 1, '370402003002', 'South', '南社区')", transaction: tx);
        await c.ExecuteAsync(
            "INSERT INTO Grid (Id, CommunityId, Code, Name, NameZh, Kind, BoundaryGeoJson) VALUES (@Id, @CommunityId, @Code, @Name, @Name, @Kind, @Polygon)",
            new[]
            {
                new { Id = 1, CommunityId = 1, Code = "370402003001001", Name = "North grid 1", Kind = 1, Polygon = polygon },
                new { Id = 2, CommunityId = 1, Code = "370402003001002", Name = "North grid 2", Kind = 1, Polygon = polygon },
                new { Id = 3, CommunityId = 2, Code = "370402003002001", Name = "South market", Kind = 2, Polygon = polygon },
            }, tx);
        await c.ExecuteAsync("INSERT INTO Camera (Id, Code, Name, GridId, Lon, Lat, IsOnline) VALUES (1, 'CAM-0001', 'North gate', 1, 117.505, 34.805, 1), (2, 'CAM-0002', 'South market', 3, 117.505, 34.805, 1)", transaction: tx);
        return 0;
    });

    public async ValueTask DisposeAsync()
    {
        await Ctx.DisposeAsync();
        await Db.DisposeAsync(); // closes the writer's connection (a no-op if the container did)
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is the OS's to clean.
        }
    }

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-antiforgery-token", "__RequestVerificationToken");
    }
}

using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Loop;

/// <summary>One test street with the handlers of issue 9's field part, on a fake clock.</summary>
public abstract class LoopFieldFixture : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    protected static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.1.1.1");
    protected static readonly Actor Operator = new(ActorKind.User, "2", "operator");
    protected readonly FakeTimeProvider Time = new(Now);

    protected SqliteDatabase Db { get; private set; } = null!;
    protected RecordingSink Sink { get; } = new();
    protected BoardClock Clock { get; private set; } = null!;
    protected TestHandlers Handlers { get; private set; } = null!;
    protected LoopSettingsProvider Settings { get; private set; } = null!;
    protected IncidentActionHandler Actions { get; private set; } = null!;
    protected ApiKeyService Keys { get; private set; } = null!;
    protected StaffAccountService Staff { get; private set; } = null!;
    protected IdempotencyStore Idempotency { get; private set; } = null!;
    protected ConvertToIncidentHandler Convert { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(Db.Factory);
        Clock = new BoardClock(Time, BoardClock.FindZone("Asia/Shanghai"));
        Handlers = new TestHandlers(Db.Factory, Sink, Clock);
        Settings = new LoopSettingsProvider(Db.Factory, new IncidentLoopOptions(), Clock);
        Actions = new IncidentActionHandler(Db.Factory, Sink, Clock, Settings);
        Keys = new ApiKeyService(Db.Factory, Time, NullLogger<ApiKeyService>.Instance);
        Staff = new StaffAccountService(Db.Factory, Keys, Time, NullLogger<StaffAccountService>.Instance);
        Idempotency = new IdempotencyStore(Db.Factory, Time);
        Convert = new ConvertToIncidentHandler(Db.Factory, Sink, Clock, Settings, NullLogger<ConvertToIncidentHandler>.Instance);
        await Dapper.SqlMapper.ExecuteAsync(await Db.Factory.OpenAsync(),
            "INSERT INTO AppUser (Id, UserName, DisplayName, PasswordHash, Role, IsActive, SecurityStamp, CreatedAt, PasswordChangedAt) VALUES " +
            "(1, 'admin', 'Admin', 'x', 'Admin', 1, 's', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'), " +
            "(2, 'operator', 'Operator', 'x', 'Operator', 1, 's', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'), " +
            "(3, 'wang', 'Wang Wu', 'x', 'Viewer', 1, 's', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')");
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();

    /// <summary>A reported incident in grid 1 (staff 1's grid).</summary>
    protected async Task<long> ReportAsync(int gridId = 1, string category = "sanitation") =>
        (await Handlers.ReportIncidentAsync(new ReportIncident
        {
            Category = category, GridId = gridId, Source = "Resident", ReporterName = "张三", Title = "Litter at gate 2",
        })).Id;

    /// <summary>Verified and dispatched to its grid by the system: ready to be accepted by the grid's staff.</summary>
    protected async Task<long> DispatchedAsync(int gridId = 1)
    {
        var id = await ReportAsync(gridId);
        await Handlers.AdvanceIncidentAsync(id);
        await Handlers.AdvanceIncidentAsync(id);
        return id;
    }

    protected async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Db.Factory.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<T>(c, sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }
}

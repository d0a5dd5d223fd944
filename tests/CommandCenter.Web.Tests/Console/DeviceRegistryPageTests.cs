using Bunit;
using CommandCenter.Data.History;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using CommandCenter.Data.Devices;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Devices;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The registry page: an Admin registers a point through the form (audited), a refused one shows the field's error, others only read.</summary>
public sealed class DeviceRegistryPageTests
{
    internal static void AddRegistry(ConsoleTestHost host)
    {
        var events = new DeviceRegistryEvents(NullLogger<DeviceRegistryEvents>.Instance);
        host.Ctx.Services.AddSingleton(events);
        host.Ctx.Services.AddSingleton(new DeviceQueries(host.Db));
        host.Ctx.Services.AddSingleton(new RegisterCameraHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new EditCameraHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new RetireCameraHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new RegisterWaterPointHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new EditWaterPointHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new RetireWaterPointHandler(host.Db, events, host.Clock));
        host.Ctx.Services.AddSingleton(new DeviceCsvImporter(host.Db, events, host.Clock));
    }

    private static void Type<T>(IRenderedComponent<T> cut, string dataCc, string value) where T : IComponent =>
        cut.Find($"input[data-cc={dataCc}]").Change(value);

    private static void Click<T>(IRenderedComponent<T> cut, string dataCc) where T : IComponent =>
        cut.Find($"button[data-cc={dataCc}]").Click();

    private static void FillPoint(IRenderedComponent<DeviceRegistryPage> cut, string warning, string alarm)
    {
        Click(cut, "new-point");
        Type(cut, "code", "WL-50");
        Type(cut, "name", "Station underpass");
        Type(cut, "nameZh", "车站下穿");
        Type(cut, "lon", "117.505");
        Type(cut, "lat", "34.805");
        Type(cut, "warningDepthCm", warning);
        Type(cut, "alarmDepthCm", alarm);
        Click(cut, "save");
    }

    [Fact]
    public async Task Admin_RegistersAPoint_ItIsListedAndAudited()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddRegistry(host);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<DeviceRegistryPage>();
        Assert.Single(cut.FindAll("tr[data-cc-camera='CAM-0001']"));

        FillPoint(cut, "15", "30");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-point='WL-50']")));
        Assert.Contains("WL-50", cut.Find("[data-cc=message]").TextContent);
        var audit = (await host.AuditAsync("device.waterpoint.create")).Single();
        Assert.Equal("chief", audit.ActorName);
        Assert.Equal("WL-50", audit.EntityId);
    }

    [Fact]
    public async Task Admin_AlarmNotAboveWarning_ShowsTheFieldErrorAndStoresNothing()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddRegistry(host);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<DeviceRegistryPage>();

        FillPoint(cut, "30", "20");

        cut.WaitForAssertion(() => Assert.Contains("must be greater than warningDepthCm", cut.Find("[data-cc=device-form]").TextContent));
        Assert.Empty(await new DeviceQueries(host.Db).WaterPointsAsync(Actor.SystemActor, includeRetired: true));
    }

    [Fact]
    public async Task Viewer_ReadsTheRegistry_WithoutButtonsThatChangeIt()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddRegistry(host);
        await host.SignInAsNewUserAsync("watcher", Roles.Viewer);
        var cut = host.Render<DeviceRegistryPage>();

        Assert.Single(cut.FindAll("tr[data-cc-camera='CAM-0002']"));
        Assert.Empty(cut.FindAll("button[data-cc=new-camera]"));
        Assert.Empty(cut.FindAll("button[data-cc=edit]"));
        Assert.Empty(cut.FindAll("button[data-cc=retire]"));
    }

    [Fact]
    public async Task PointPage_ShowsTheChartsFromTheRollups_AndAnUnknownCodeSaysSo()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddRegistry(host);
        await host.SignInAsNewUserAsync("watcher", Roles.Viewer);
        await host.Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm) VALUES (7, 'WL-07', 'Tunnel', '隧道', 1, 117.5, 34.8, 15, 30)", transaction: tx);
            await c.ExecuteAsync("INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (7, @Depth, @At, @At)",
                Enumerable.Range(1, 30).Select(i => new { Depth = (double)i, At = ConsoleTestHost.Start.AddMinutes(-i * 10) }), tx);
            return 0;
        });
        await new ReadingRollup(host.Db, host.Time, new HistoryOptions(), NullLogger<ReadingRollup>.Instance).RunAsync();

        var cut = host.Ctx.Render<WaterPointPage>(p => p.Add(x => x.Code, "wl-07"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-cc-chart='24h'] [data-cc=chart-line]")));
        Assert.Single(cut.FindAll("[data-cc-chart='7d'] [data-cc=chart-line]"));
        Assert.Contains("WL-07 · Tunnel", cut.Markup, StringComparison.Ordinal);

        var unknown = host.Ctx.Render<WaterPointPage>(p => p.Add(x => x.Code, "NOPE"));
        unknown.WaitForAssertion(() => Assert.Single(unknown.FindAll("[data-cc=not-found]")));
    }
}

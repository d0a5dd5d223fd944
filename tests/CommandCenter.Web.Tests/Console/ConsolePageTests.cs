using AngleSharp.Dom;
using Bunit;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Account;
using CommandCenter.Web.Components.Pages.Admin;
using CommandCenter.Web.Components.Pages.Operations;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The console pages over real services and a real SQLite database: what they list, what they change, and that stored text stays text.</summary>
public sealed class ConsolePageTests
{
    private const string Script = "<script>alert(1)</script>";

    private static void Type<T>(IRenderedComponent<T> cut, string dataCc, string value) where T : IComponent =>
        cut.Find($"input[data-cc={dataCc}]").Change(value);

    private static void Click<T>(IRenderedComponent<T> cut, string dataCc) where T : IComponent =>
        cut.Find($"button[data-cc={dataCc}]").Click();

    [Fact]
    public async Task Users_ListsUsers_AndCreatingOneShowsItAndAuditsTheAdmin()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        await host.Accounts.CreateAsync(Actor.System("test"), "north.viewer", "North viewer", Roles.Viewer, 1, "a-long-test-password-2026");

        var cut = host.Render<AdminUsers>();

        var north = cut.Find("tr[data-cc-user='north.viewer']");
        Assert.Contains("North viewer", north.TextContent);
        Assert.Contains("North", north.Children[3].TextContent);
        Assert.Contains("Viewer", north.Children[2].TextContent);
        Assert.Single(cut.FindAll("tr[data-cc-user='chief']"));

        Click(cut, "new-user");
        Type(cut, "userName", "night.operator");
        Type(cut, "displayName", "Night duty operator");
        Type(cut, "password", "night-shift-password-2026");
        Click(cut, "create");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-user='night.operator']")));
        Assert.Contains("night.operator", cut.Find("[data-cc=message]").TextContent);
        Assert.Empty(cut.FindAll("[data-cc=create-form]"));
        var created = (await host.Accounts.ListAsync()).Single(u => u.UserName == "night.operator");
        Assert.Equal(Roles.Operator, created.Role);
        var audit = (await host.AuditAsync("user.created")).First();
        Assert.Equal("chief", audit.ActorName);
        Assert.Equal(ConsoleTestHost.RemoteIp, audit.RemoteIp);
        Assert.Equal(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.EntityId);
    }

    [Fact]
    public async Task Users_InvalidInput_ShowsTheServiceErrorsNextToTheFields()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AdminUsers>();

        Click(cut, "new-user");
        Type(cut, "userName", "bad name!");
        Type(cut, "displayName", "Someone");
        Type(cut, "password", "short");
        Click(cut, "create");

        cut.WaitForAssertion(() => Assert.Contains("may hold only letters", cut.Find("[data-cc=create-form]").TextContent));
        Assert.Contains("at least 10 characters", cut.Find("[data-cc=create-form]").TextContent);
        Assert.DoesNotContain(await host.Accounts.ListAsync(), u => u.DisplayName == "Someone");
    }

    [Fact]
    public async Task Keys_CreatedKeyIsShownOnce_AndTheTableShowsOnlyItsPrefix()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AdminKeys>();

        Click(cut, "new-key");
        Type(cut, "name", "Sensor gateway");
        cut.Find("button[data-cc-preset='sensor-gateway']").Click();
        Click(cut, "create");

        var plaintext = cut.WaitForElement("[data-cc=plaintext]").TextContent.Trim();
        Assert.StartsWith("cck_", plaintext, StringComparison.Ordinal);
        var key = Assert.Single(await host.Keys.ListAsync());
        Assert.Equal([Scopes.ReadingsWrite], key.Scopes);
        Assert.NotNull(await host.Keys.ValidateAsync(plaintext));

        // In the table: the prefix only, never the key.
        var row = cut.Find($"tr[data-cc-key='{key.Id}']");
        Assert.Contains(key.Prefix + "…", row.TextContent);
        Assert.DoesNotContain(plaintext, row.TextContent);
        Assert.True(plaintext.Length > key.Prefix.Length + 8);

        // Once dismissed, it is gone for good: not in the markup, and a fresh page cannot show it either.
        Click(cut, "done");
        Assert.DoesNotContain(plaintext, cut.Markup);
        Assert.Contains("Sensor gateway", cut.Find("[data-cc=message]").TextContent);
        var again = host.Render<AdminKeys>();
        Assert.DoesNotContain(plaintext, again.Markup);
        Assert.Contains(key.Prefix + "…", again.Find($"tr[data-cc-key='{key.Id}']").TextContent);
    }

    [Fact]
    public async Task Devices_RegisteringShowsTheOneTimeLinkOnce_AndRevokeAsksFirst()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AdminDevices>();

        Click(cut, "new-device");
        Type(cut, "name", "Command hall, left");
        Click(cut, "create");

        var link = cut.WaitForElement("[data-cc=enroll-link]").TextContent.Trim();
        Assert.StartsWith("http://localhost/device/enroll?code=enr_", link, StringComparison.Ordinal);
        var code = Uri.UnescapeDataString(link[(link.IndexOf("code=", StringComparison.Ordinal) + 5)..]);
        var device = Assert.Single(await host.Devices.ListAsync());
        Click(cut, "done");
        Assert.DoesNotContain(code, cut.Markup);

        cut.Find($"tr[data-cc-device='{device.Id}'] button[data-cc=revoke]").Click();
        Assert.Contains("goes dark within a minute", cut.Find("[data-cc=confirm]").TextContent);
        Assert.False((await host.Devices.FindAsync(device.Id))!.IsRevoked);
        Click(cut, "confirm-revoke");
        cut.WaitForAssertion(() => Assert.Contains("cc-revoked", cut.Find($"tr[data-cc-device='{device.Id}']").ClassName));
        Assert.True((await host.Devices.FindAsync(device.Id))!.IsRevoked);
        Assert.Null(await host.Devices.EnrollAsync(code, "198.51.100.1"));
    }

    [Fact]
    public async Task Devices_ScreenSettings_SavedAuditedAndPushed()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var id = (await host.Devices.RegisterAsync(Actor.System("test"), "Hall wall", null)).Device.Id;
        (int Id, CommandCenter.Data.Security.ScreenSettings Settings)? pushed = null;
        host.Devices.SettingsChanged += (d, s) => pushed = (d, s);
        var cut = host.Render<AdminDevices>();

        cut.Find($"tr[data-cc-device='{id}'] button[data-cc=settings]").Click();
        cut.WaitForElement("[data-cc=settings-form]");
        cut.FindAll("[data-cc=settings-pages] input[type=checkbox]")[1].Change(true); // pages in order: overview, incidents, …
        cut.Find("input[data-cc=settings-dwell]").Change("45");
        Click(cut, "settings-save");

        cut.WaitForAssertion(() => Assert.Contains("Hall wall", cut.Find("[data-cc=message]").TextContent));
        var stored = await host.Devices.GetSettingsAsync(id);
        Assert.Equal(["overview", "incidents"], stored!.Playlist);
        Assert.Equal(45, stored.DwellSeconds);
        Assert.Equal(id, pushed!.Value.Id);
        Assert.Single(await host.Audit.ListAsync(new AuditFilter(Action: "device.settings")));
    }

    [Fact]
    public async Task Audit_StoredScriptInEveryTextColumn_IsRenderedAsInertText()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("leader1", Roles.Leader);

        // Through a service (the JSON serializer escapes '<' in Details; the actor name is stored verbatim) ...
        await host.Keys.CreateAsync(new Actor(ActorKind.User, "99", Script, null, "127.0.0.1"), Script, [Scopes.LiveRead], null);
        // ... and a raw row, as another writer or a tampered import could leave it.
        await host.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO AuditLog (At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId, Details, RemoteIp) " +
            "VALUES (@At, 'ApiKey', '7', @Script, 'test.raw', @Script, @Script, @Script, @Script)",
            new { At = ConsoleTestHost.Start, Script }, tx));

        var cut = host.Render<AuditPage>();

        Assert.Equal(3, cut.FindAll("tr[data-cc-audit]").Count); // with the set-up's user.created
        Assert.Empty(cut.FindAll("script"));
        Assert.DoesNotContain(Script, cut.Markup);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", cut.Markup);
        var details = cut.FindAll("[data-cc=details]").Select(d => d.TextContent).ToList();
        Assert.Contains(Script, details);                                  // the raw row, as stored
        Assert.Contains(details, d => d.Contains("\"name\":\"" + Script, StringComparison.Ordinal)); // the JSON, made readable, still text
    }

    [Fact]
    public async Task Audit_FiltersByAction()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var admin = new Actor(ActorKind.User, "1", "chief", null, "127.0.0.1");
        await host.Keys.CreateAsync(admin, "Hotline", [Scopes.IncidentsWrite], null);
        await host.Devices.RegisterAsync(admin, "Hall", null);

        var cut = host.Render<AuditPage>();
        Assert.Equal(3, cut.FindAll("tr[data-cc-audit]").Count); // user.created (test set-up), apikey.created, device.registered

        Type(cut, "actor", "chief");
        Click(cut, "search");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr[data-cc-audit]").Count));
        Assert.All(cut.FindAll("tr[data-cc-audit]"), r => Assert.Contains("chief", r.TextContent));
        // The CSV export carries the filters of what is shown.
        Assert.Equal("/api/v1/audit.csv?actor=chief", cut.Find("[data-cc=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task Operations_ScopedOperator_SeesOnlyTheirCommunity_AndAdvancesAsThemselves()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var north = await host.Ingestion.ReportIncidentAsync(new ReportIncident
        {
            Category = "sanitation", GridId = 1, Source = "GridPatrol", ReporterName = "Wang", Title = "North garbage pile",
        });
        var south = await host.Ingestion.ReportIncidentAsync(new ReportIncident
        {
            Category = "fire", GridId = 3, Source = "Hotline", ReporterName = "Li", Title = "South blocked exit",
        });
        await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.9 });
        await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "fire_smoke", Confidence = 0.8 });
        await host.SignInAsNewUserAsync("north.operator", Roles.Operator, communityId: 1);

        var cut = host.Render<OperationsPage>();

        Assert.Single(cut.FindAll($"tr[data-cc-incident='{north.Number}']"));
        Assert.Empty(cut.FindAll($"tr[data-cc-incident='{south.Number}']"));
        Assert.DoesNotContain("South blocked exit", cut.Markup);
        Assert.DoesNotContain("South market", cut.Markup);
        Assert.Single(cut.FindAll("tr[data-cc-alert]"));
        Assert.Contains("North", cut.Find("[data-cc=scope]").TextContent);

        cut.Find($"tr[data-cc-incident='{north.Number}'] button[data-cc=advance]").Click();
        // The step cell (the row's button already names the next step): the action is written by the write queue.
        cut.WaitForAssertion(() => Assert.Equal("Verified", cut.Find($"tr[data-cc-incident='{north.Number}'] td:nth-child(5)").TextContent.Trim()));
        var advanced = (await host.AuditAsync("incident.verify")).Single();
        Assert.Equal("north.operator", advanced.ActorName);
        Assert.Equal(ConsoleTestHost.RemoteIp, advanced.RemoteIp);

        cut.Find("tr[data-cc-alert] button[data-cc=acknowledge]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("button[data-cc=acknowledge]")));
        Assert.Single(await host.AuditAsync("alert.acknowledged"));
    }

    [Fact]
    public async Task Operations_LongUnbrokenAndBidiTitles_AreWrappableIsolatedText()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var longTitle = new string('W', 200);
        var wide = await host.Ingestion.ReportIncidentAsync(new ReportIncident
        {
            Category = "sanitation", GridId = 1, Source = "GridPatrol", ReporterName = "Wang", Title = longTitle,
        });
        // As an earlier build stored it: a right-to-left override in the title, which the page must keep in its cell.
        var spoof = await host.Ingestion.ReportIncidentAsync(new ReportIncident
        {
            Category = "noise", GridId = 1, Source = "GridPatrol", ReporterName = "Li", Title = "placeholder",
        });
        await host.Db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE Incident SET Title = @Title WHERE Id = @Id", new { Title = "\u202Egnp.exe", spoof.Id }, tx));
        await host.SignInAsNewUserAsync("operator1", Roles.Operator);

        var cut = host.Render<OperationsPage>();

        var wideCell = cut.Find($"tr[data-cc-incident='{wide.Number}'] td[data-cc=title]");
        Assert.Equal(longTitle, wideCell.QuerySelector("bdi")!.TextContent);
        Assert.DoesNotContain("cc-nowrap", wideCell.ClassName ?? "", StringComparison.Ordinal);
        Assert.Contains("cc-table", cut.Find("[data-cc=incidents]").ClassName, StringComparison.Ordinal);
        Assert.NotNull(cut.Find($"tr[data-cc-incident='{wide.Number}'] button[data-cc=advance]"));
        Assert.Equal("\u202Egnp.exe", cut.Find($"tr[data-cc-incident='{spoof.Number}'] td[data-cc=title] bdi").TextContent);
    }

    [Theory]
    [InlineData("9999-12-31", "")]
    [InlineData("", "0001-01-01")]
    [InlineData("9999-12-31", "0001-01-01")]
    public async Task Audit_FarOffDates_AreNoBoundNotAnError(string to, string from)
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AuditPage>();
        Assert.Single(cut.FindAll("tr[data-cc-audit]")); // user.created (test set-up)

        Type(cut, "to", to);
        Type(cut, "from", from);
        Click(cut, "search");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-audit]")));
        Assert.False(cut.Find("button[data-cc=search]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Password_WrongCurrentPassword_IsRefused_AndTheRightOneChangesIt()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var id = await host.SignInAsNewUserAsync("viewer1", Roles.Viewer);
        var stamp = (await host.Accounts.FindAsync(id))!.SecurityStamp;
        var cut = host.Render<PasswordPage>();

        Type(cut, "current", "not-my-password-at-all");
        Type(cut, "new", "brand-new-password-2026");
        Type(cut, "confirm", "brand-new-password-2026");
        Click(cut, "change");
        cut.WaitForAssertion(() => Assert.Contains("is not right", cut.Find("[data-cc=password-form]").TextContent));

        Type(cut, "current", "a-long-test-password-2026");
        Type(cut, "new", "brand-new-password-2026");
        Type(cut, "confirm", "brand-new-password-2026");
        Click(cut, "change");
        cut.WaitForAssertion(() => Assert.Contains("sign in again", cut.Find("[data-cc=message]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(stamp, (await host.Accounts.FindAsync(id))!.SecurityStamp);
        Assert.Equal(SignInOutcome.Succeeded, (await host.Accounts.SignInAsync("viewer1", "brand-new-password-2026", null)).Outcome);
    }

    [Fact]
    public async Task Password_ManyWrongCurrentPasswords_TheNextTryWaitsEvenWithTheRightOne()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var id = await host.SignInAsNewUserAsync("viewer2", Roles.Viewer);
        var stamp = (await host.Accounts.FindAsync(id))!.SecurityStamp;
        var cut = host.Render<PasswordPage>();
        for (var i = 0; i < 3; i++)
        {
            Type(cut, "current", "not-my-password-at-all-" + i);
            Type(cut, "new", "brand-new-password-2026");
            Type(cut, "confirm", "brand-new-password-2026");
            Click(cut, "change");
            cut.WaitForAssertion(() => Assert.Contains("is not right", cut.Find("[data-cc=password-form]").TextContent));
        }

        Type(cut, "current", "a-long-test-password-2026");
        Type(cut, "new", "brand-new-password-2026");
        Type(cut, "confirm", "brand-new-password-2026");
        Click(cut, "change");

        cut.WaitForAssertion(() => Assert.Contains("Too many wrong passwords. Try again in 1 s.", cut.Find("[data-cc=password-form]").TextContent));
        Assert.Equal(stamp, (await host.Accounts.FindAsync(id))!.SecurityStamp);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Type(cut, "current", "a-long-test-password-2026");
        Type(cut, "new", "brand-new-password-2026");
        Type(cut, "confirm", "brand-new-password-2026");
        Click(cut, "change");
        cut.WaitForAssertion(() => Assert.Contains("sign in again", cut.Find("[data-cc=message]").TextContent, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Login_IsAPlainFormPostWithAntiforgery_AndOneMessageForEveryFailure()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/login?error=failed&returnUrl=%2Fadmin%2Fusers");

        var cut = host.Ctx.Render<LoginPage>();

        var form = cut.Find("form[data-cc=login-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/login", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.NotNull(form.QuerySelector("input[name=userName]"));
        Assert.Equal("password", form.QuerySelector("input[name=password]")!.GetAttribute("type"));
        Assert.Equal("/admin/users", form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("button[type=submit]"));
        Assert.Equal("Wrong user name or password.", cut.Find("[data-cc=login-error]").TextContent);
    }

    [Fact]
    public async Task Login_ForeignReturnUrl_IsReplacedByTheRoot()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/login?error=failed&returnUrl=%2F%2Fevil.example%2F");

        var cut = host.Ctx.Render<LoginPage>();

        Assert.Equal("/", cut.Find("input[name=returnUrl]").GetAttribute("value"));
        Assert.Contains("Wrong user name or password", cut.Find("[data-cc=login-error]").TextContent);
    }

    [Fact]
    public async Task DeviceEnroll_PrefillsTheCodeFromTheLink()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/device/enroll?code=enr_abc123");

        var cut = host.Ctx.Render<DeviceEnrollPage>();

        var form = cut.Find("form[data-cc=enroll-form]");
        Assert.Equal("/device/enroll", form.GetAttribute("action"));
        Assert.Equal("enr_abc123", form.QuerySelector("input[name=code]")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Contains("read-only wall screen", cut.Markup);
    }
}

using CommandCenter.Data.Devices;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Components.Pages.Admin;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace CommandCenter.Web.Components.Pages.Devices;

public enum DeviceKind
{
    Camera,
    Point,
}

/// <summary>The registry form's fields: one shape for both kinds (the point's settings are unused for a camera).</summary>
public sealed class DeviceForm
{
    public DeviceKind Kind { get; init; }

    /// <summary>Null when registering; the code being edited otherwise (it cannot change).</summary>
    public string? EditCode { get; init; }
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? NameZh { get; set; }
    public int GridId { get; set; }
    public string? Place { get; set; }
    public double? Lon { get; set; }
    public double? Lat { get; set; }
    public int? ExpectedIntervalSeconds { get; set; }
    public double? WarningDepthCm { get; set; }
    public double? AlarmDepthCm { get; set; }
    public double? HysteresisCm { get; set; }
    public int? PendingSeconds { get; set; }
    public double? RiseLimitCmPerMin { get; set; }

    public CameraInput ToCamera() => new()
    {
        Code = Code, Name = Name, NameZh = NameZh, GridId = GridId == 0 ? null : GridId, Place = Place, Lon = Lon, Lat = Lat,
        ExpectedIntervalSeconds = ExpectedIntervalSeconds,
    };

    public WaterPointInput ToPoint() => new()
    {
        Code = Code, Name = Name, NameZh = NameZh, GridId = GridId == 0 ? null : GridId, Place = Place, Lon = Lon, Lat = Lat,
        WarningDepthCm = WarningDepthCm, AlarmDepthCm = AlarmDepthCm, HysteresisCm = HysteresisCm, PendingSeconds = PendingSeconds,
        RiseLimitCmPerMin = RiseLimitCmPerMin, ExpectedIntervalSeconds = ExpectedIntervalSeconds,
    };
}

public partial class DeviceRegistryPage
{
    private static readonly string[] FormFields =
        ["code", "name", "nameZh", "gridId", "place", "lon", "lat", "expectedIntervalSeconds", "warningDepthCm", "alarmDepthCm", "hysteresisCm", "pendingSeconds", "riseLimitCmPerMin"];

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [CascadingParameter(Name = "RemoteIp")] private string? RemoteIp { get; set; }

    private readonly FormErrors _errors = new();
    private IReadOnlyList<CameraDetails> _cameras = [];
    private IReadOnlyList<WaterPointDetails> _points = [];
    private IReadOnlyList<GridState> _grids = [];
    private bool _isAdmin;
    private int? _community;
    private bool _showRetired;
    private bool _busy;
    private string? _message;
    private DeviceForm? _form;
    private (DeviceKind Kind, string Code)? _confirm;
    private DeviceKind _importKind = DeviceKind.Point;
    private DeviceImportReport? _report;

    private int FirstGrid => _grids.Count > 0 ? _grids[0].Id : 0;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthState).User;
        _isAdmin = user.IsInRole(Roles.Admin);
        _community = user.CommunityId();
        _grids = Board.GetSnapshot().Grids;
        await LoadAsync();
    }

    private async Task<Actor> ActorAsync() => (await AuthState).User.ToActor(RemoteIp);

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        _cameras = await Queries.CamerasAsync(actor, _showRetired);
        _points = await Queries.WaterPointsAsync(actor, _showRetired);
    }

    private async Task ShowRetiredAsync(bool value)
    {
        _showRetired = value;
        await LoadAsync();
    }

    private string GridName(int id) =>
        _grids.FirstOrDefault(g => g.Id == id) is { } g ? (ConsoleFormat.IsChinese ? g.NameZh : g.Name) : id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Status(DateTimeOffset? retiredAt, bool online) =>
        retiredAt is not null ? L["RegStatusRetired"] : online ? L["RegStatusOnline"] : L["RegStatusOffline"];

    private void StartNew(DeviceKind kind)
    {
        _errors.Clear();
        _message = null;
        _form = kind == DeviceKind.Camera
            ? new DeviceForm { Kind = kind, GridId = FirstGrid, ExpectedIntervalSeconds = DeviceRules.DefaultCameraIntervalSeconds }
            : new DeviceForm
            {
                Kind = kind, GridId = FirstGrid, ExpectedIntervalSeconds = DeviceRules.DefaultPointIntervalSeconds, HysteresisCm = DeviceRules.DefaultHysteresisCm,
                PendingSeconds = DeviceRules.DefaultPendingSeconds,
            };
    }

    private void StartEdit(CameraDetails c)
    {
        _errors.Clear();
        _message = null;
        _form = new DeviceForm
        {
            Kind = DeviceKind.Camera, EditCode = c.Code, Code = c.Code, Name = c.Name, NameZh = c.NameZh, GridId = c.GridId, Place = c.Place,
            Lon = c.Lon, Lat = c.Lat, ExpectedIntervalSeconds = c.ExpectedIntervalSeconds,
        };
    }

    private void StartEdit(WaterPointDetails p)
    {
        _errors.Clear();
        _message = null;
        _form = new DeviceForm
        {
            Kind = DeviceKind.Point, EditCode = p.Code, Code = p.Code, Name = p.Name, NameZh = p.NameZh, GridId = p.GridId, Place = p.Place,
            Lon = p.Lon, Lat = p.Lat, ExpectedIntervalSeconds = p.ExpectedIntervalSeconds, WarningDepthCm = p.WarningDepthCm,
            AlarmDepthCm = p.AlarmDepthCm, HysteresisCm = p.HysteresisCm, PendingSeconds = p.PendingSeconds, RiseLimitCmPerMin = p.RiseLimitCmPerMin,
        };
    }

    private void Cancel()
    {
        _form = null;
        _errors.Clear();
    }

    private async Task SaveAsync()
    {
        if (_form is not { } f) return;
        await RunAsync(async actor =>
        {
            switch (f.Kind, f.EditCode)
            {
                case (DeviceKind.Camera, null): await RegisterCamera.HandleAsync(f.ToCamera(), actor); break;
                case (DeviceKind.Camera, { } code): await EditCamera.HandleAsync(code, f.ToCamera(), actor); break;
                case (DeviceKind.Point, null): await RegisterPoint.HandleAsync(f.ToPoint(), actor); break;
                case (_, { } code): await EditPoint.HandleAsync(code, f.ToPoint(), actor); break;
            }
        }, () => L["RegSaved", f.Code ?? ""]);
    }

    private async Task RetireAsync()
    {
        if (_confirm is not { } c) return;
        await RunAsync(async actor =>
        {
            if (c.Kind == DeviceKind.Camera) await RetireCamera.HandleAsync(c.Code, actor);
            else await RetirePoint.HandleAsync(c.Code, actor);
        }, () => L["RegRetired", c.Code]);
    }

    private async Task ImportAsync(InputFileChangeEventArgs e)
    {
        _report = null;
        await RunAsync(async actor =>
        {
            using var buffer = new MemoryStream();
            await using (var stream = e.File.OpenReadStream(DeviceCsvImporter.MaxBytes))
            {
                await stream.CopyToAsync(buffer);
            }

            _report = _importKind == DeviceKind.Camera
                ? await Importer.ImportCamerasAsync(buffer.ToArray(), actor)
                : await Importer.ImportWaterPointsAsync(buffer.ToArray(), actor);
        }, () => L["RegImported", _report?.Created ?? 0]);
    }

    /// <summary>Runs a change as the signed-in person; only an Admin may change the registry (the buttons are hidden for others too).</summary>
    private async Task RunAsync(Func<Actor, Task> change, Func<string> done)
    {
        _busy = true;
        _errors.Clear();
        _message = null;
        try
        {
            if (!(await AuthState).User.IsInRole(Roles.Admin))
            {
                _errors.Set("device", L["RegAdminOnly"]);
                return;
            }

            await change(await ActorAsync());
            _message = done();
            _form = null;
            _confirm = null;
            await LoadAsync();
        }
        catch (InputValidationException ex)
        {
            _errors.Set(ex);
        }
        catch (ConflictException ex)
        {
            _errors.Set(ex.Field, string.Join(" ", ex.Errors[ex.Field]));
            _confirm = null;
        }
        catch (DeviceNotFoundException ex)
        {
            _errors.Set("code", ex.Message);
            _confirm = null;
        }
        catch (IOException ex)
        {
            _errors.Set("file", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }
}

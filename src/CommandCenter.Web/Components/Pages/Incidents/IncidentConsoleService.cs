using System.Security.Claims;
using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Components.Pages.Incidents;

/// <summary>
/// The console's loop over the Data layer: the same queue, view and action handler as the API
/// (<c>GET /api/v1/incidents</c>, <c>POST …/actions/{action}</c>), so the console follows the same rules; the person's
/// community scope and role come from the principal exactly as for an API call.
/// </summary>
public sealed class IncidentConsoleService(
    IncidentQueue queue, IncidentActionHandler actions, ReportIncidentHandler reports, DepartmentQueries departments, StaffAccountService staff) : IIncidentConsole
{
    public async Task<ConsoleQueuePage> ListAsync(ConsoleQueueQuery query, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(user);
        var filter = new IncidentQueueQuery
        {
            Step = query.Step?.ToString() ?? (query.OpenOnly ? "open" : null),
            Category = query.Category,
            CommunityId = query.CommunityId,
            GridId = query.GridId,
            UnitKind = query.Unit?.Kind.ToString(),
            UnitId = query.Unit?.Id,
            Cycle = query.Cycle?.ToString(),
            Overdue = query.Overdue ? true : null,
            Source = query.Source?.ToString(),
            Q = query.Text,
            Page = query.Page,
            PageSize = query.PageSize,
            Sort = query.Sort,
        }.Validate() with
        {
            ReportedFrom = query.ReportedFrom, ReportedBefore = query.ReportedBefore, ClosedFrom = query.ClosedFrom, ClosedBefore = query.ClosedBefore,
            EscalatedOnly = query.EscalatedOnly,
        };
        var page = await queue.ListAsync(filter, user.CommunityId(), ct).ConfigureAwait(false);
        return new ConsoleQueuePage(
            page.Items.Select(i => new ConsoleQueueItem(i.Id, i.Number, i.Category, i.GridId, i.GridName, i.GridNameZh, i.CommunityId, i.Title,
                Enum.Parse<IncidentStep>(i.Step), Enum.Parse<IncidentCycle>(i.Cycle), new HoldingUnit(Enum.Parse<UnitKind>(i.UnitKind), i.UnitId),
                i.Priority, Enum.Parse<IncidentSource>(i.Source), i.ReportedAt, i.DueAt, i.ClosedAt, i.Overdue, i.Version)).ToList(),
            page.Total,
            page.CountsByStep.ToDictionary(kv => Enum.Parse<IncidentStep>(kv.Key), kv => kv.Value), page.TextSearchWindow);
    }

    public async Task<ConsoleIncident?> GetAsync(long id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var actor = user.ToActor(null);
        var who = await WhoAsync(user, actor, ct).ConfigureAwait(false);
        var view = await queue.GetAsync(id, actor, who.Caller, ct).ConfigureAwait(false);
        return view is null ? null : Map(view);
    }

    public async Task<ConsoleIncident?> ActAsync(long id, LoopCommand command, long expectedVersion, ClaimsPrincipal user, string? remoteIp, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(user);
        var actor = user.ToActor(remoteIp);
        var who = await WhoAsync(user, actor, ct).ConfigureAwait(false);
        var result = await actions.HandleAsync(id, command, who, expectedVersion, ct).ConfigureAwait(false);
        if (result is null) return null;
        var view = await queue.GetAsync(id, actor, who.Caller, ct).ConfigureAwait(false);
        return view is null ? null : Map(view);
    }

    public async Task<long> ReportAsync(ConsoleReport report, ClaimsPrincipal user, string? remoteIp, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(user);
        var actor = user.ToActor(remoteIp);
        // A staff member (the /field page, or an operator linked to a staff record) is named on the report's timeline row.
        var member = await staff.StaffOfAsync(actor, ct).ConfigureAwait(false);
        var accepted = await reports.HandleAsync(new ReportIncident
        {
            Category = report.Category, Priority = report.Priority, GridId = report.GridId, Building = report.Building, BuildingUnit = report.BuildingUnit,
            Address = report.Address, Lon = report.Lon, Lat = report.Lat, Source = report.Source, ReporterName = report.ReporterName,
            ReporterPhone = report.ReporterPhone, Title = report.Title, Description = report.Description, PhotoLinks = report.PhotoLinks,
        }, actor, member?.StaffId, ct).ConfigureAwait(false);
        return accepted.Id;
    }

    public async Task<IReadOnlyList<ConsoleUnit>> DepartmentsAsync(CancellationToken ct = default) =>
        (await departments.ListAsync(activeOnly: true, ct).ConfigureAwait(false)).Select(d => new ConsoleUnit(HoldingUnit.Department(d.Id), d.NameEn, d.NameZh)).ToList();

    /// <summary>The grids of the staff record the account is linked to (names are the page's, from the board); empty when not linked.</summary>
    public async Task<IReadOnlyList<ConsoleUnit>> MyUnitsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var member = await staff.StaffOfAsync(user.ToActor(null), ct).ConfigureAwait(false);
        return member is null ? [] : member.Units.Select(u => new ConsoleUnit(u, "", "")).ToList();
    }

    /// <summary>
    /// Who acts, as for the API: operators and admins as themselves (attributed to their staff record when linked),
    /// other people linked to a staff member as field staff of their grids, everyone else read-only.
    /// </summary>
    private Task<LoopActor> WhoAsync(ClaimsPrincipal user, Actor actor, CancellationToken ct) =>
        staff.LoopActorAsync(actor, user.FindFirstValue(ClaimTypes.Role), ct);

    private static ConsoleIncident Map(IncidentView v) => new()
    {
        Id = v.Id, Number = v.Number, Category = v.Category, GridId = v.GridId, GridName = v.GridName, GridNameZh = v.GridNameZh,
        CommunityId = v.CommunityId, Source = Enum.Parse<IncidentSource>(v.Source), ReporterName = v.ReporterName, ReporterPhone = v.ReporterPhone,
        Title = v.Title, Description = v.Description, Address = v.Address, Building = v.Building, BuildingUnit = v.BuildingUnit, Lon = v.Lon, Lat = v.Lat,
        Priority = v.Priority, Step = Enum.Parse<IncidentStep>(v.Step), Cycle = Enum.Parse<IncidentCycle>(v.Cycle),
        Holder = new HoldingUnit(Enum.Parse<UnitKind>(v.UnitKind), v.UnitId), Resolution = Enum.Parse<IncidentResolution>(v.Resolution),
        RejectReason = v.RejectReason is { } r ? Enum.Parse<RejectReason>(r) : null, DuplicateOfId = v.DuplicateOfId, Satisfaction = v.Satisfaction,
        ClosedOnTime = v.ClosedOnTime, ReopenedCount = v.ReopenedCount, ReportedAt = v.ReportedAt, DueAt = v.DueAt, ClosedAt = v.ClosedAt,
        Overdue = v.Overdue, SourceAlertId = v.SourceAlertId, SourceAlarmId = v.SourceAlarmId, PhotoLinks = v.PhotoLinks, Version = v.Version,
        AllowedActions = v.AllowedActions.Select(IncidentLoop.Parse).OfType<LoopAction>().ToList(),
        Timeline = v.Timeline.Select(t => new ConsoleTimelineEntry(t.At, IncidentLoop.Parse(t.Action), Enum.Parse<IncidentStep>(t.Step),
            Parse<IncidentStep>(t.FromStep), t.Actor, t.Note, Parse<IncidentCycle>(t.FromCycle), Parse<IncidentCycle>(t.ToCycle),
            Unit(t.FromUnitKind, t.FromUnitId), Unit(t.ToUnitKind, t.ToUnitId), t.PhotoLinks)).ToList(),
    };

    private static T? Parse<T>(string? name) where T : struct, Enum => name is not null && Enum.TryParse<T>(name, out var v) ? v : null;

    private static HoldingUnit? Unit(string? kind, int? id) => Parse<UnitKind>(kind) is { } k && id is { } i ? new HoldingUnit(k, i) : null;
}

public static class IncidentConsoleRegistration
{
    /// <summary>The console pages' services (queue, incident, new incident, field).</summary>
    public static IServiceCollection AddIncidentConsole(this IServiceCollection services)
    {
        services.AddSingleton<IIncidentConsole, IncidentConsoleService>();
        return services;
    }
}

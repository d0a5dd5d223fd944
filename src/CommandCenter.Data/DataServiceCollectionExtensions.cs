using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Coverage;
using CommandCenter.Data.Devices;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Data.Readings;
using CommandCenter.Data.Street;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommandCenter.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The database, migrations, the board's loader and one handler per write command. The host and the test hosts
    /// call this alike. Throws <see cref="SettingException"/> naming the setting when the options are wrong.
    /// </summary>
    public static IServiceCollection AddCommandCenterData(this IServiceCollection services, DatabaseOptions options)
    {
        var factory = new DbConnectionFactory(options); // here: a wrong setting fails now, naming it
        services.AddSingleton(_ => factory); // through a factory, so that the container disposes it (closes the writer's connection)
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<BoardLoader>();
        services.AddSingleton<BoardSync>();
        services.AddSingleton<ReportIncidentHandler>();
        services.AddSingleton<IncidentActionHandler>();
        services.TryAddSingleton(new IncidentLoopOptions());
        services.AddSingleton<LoopSettingsProvider>();
        services.AddSingleton<IncidentQueue>();
        services.AddSingleton<OverdueEscalator>();
        services.AddSingleton<RecordReadingsHandler>();
        services.AddSingleton(sp => new CommandCenter.Data.Ingestion.GroupCommitWriter(sp.GetRequiredService<DbConnectionFactory>(),
            sp.GetService<CommandCenter.Data.Ingestion.GroupCommitOptions>() ?? new CommandCenter.Data.Ingestion.GroupCommitOptions()));
        services.AddSingleton<RaiseCameraAlertHandler>();
        services.AddSingleton<CheckInPatrolHandler>();
        services.AddSingleton<RecordVisitHandler>();
        services.AddSingleton<GridBoundaryImporter>();
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<Open311Queries>();
        services.AddDeviceRegistry();
        services.AddCommandCenterAlarms();
        Field.FieldServiceCollectionExtensions.AddLoopFieldData(services);
        Points.PointsServiceCollectionExtensions.AddPointsData(services);
        Assessments.AssessmentServiceCollectionExtensions.AddAssessmentsData(services);
        Reports.ReportServiceCollectionExtensions.AddReportsData(services);
        return services;
    }
}

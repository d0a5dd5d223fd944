using System.Text.Json;
using System.Text.Json.Serialization;
using CommandCenter.Data;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Data.Street;
using CommandCenter.Demo;
using CommandCenter.Domain.Live;
using CommandCenter.Jobs;
using CommandCenter.Web.Api;
using CommandCenter.Web.Security;
using CommandCenter.Web.Components;
using CommandCenter.Web.Live;
using CommandCenter.Web.Ingestion;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;

using CommandCenter.Web.Components.Pages.Incidents;

namespace CommandCenter.Web.Hosting;

public static class CommandCenterHosting
{
    /// <summary>Registers everything: the composition root of the node.</summary>
    public static WebApplicationBuilder AddCommandCenter(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        var options = config.GetSection(CommandCenterOptions.SectionName).Get<CommandCenterOptions>() ?? new CommandCenterOptions();

        // Serve the static web assets of packages (MudBlazor, blazor.web.js) from a build output in any
        // environment, not only Development; a published app has them in wwwroot and this is a no-op.
        builder.WebHost.UseStaticWebAssets();

        builder.Host.UseSerilog((context, sp, log) => log
            .ReadFrom.Configuration(context.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With<LogSanitizer>() // last: escapes control characters and caps the length of every text value
            // One background writer for both sinks: a request no longer waits for the console's lock and the file's
            // write (under 16 concurrent API clients that wait was half of an action's time). The buffer blocks when
            // full rather than dropping; the host disposes the logger on shutdown, which flushes it.
            // The console (journald under systemd) gets everything but the access log of answered requests, which
            // only the file keeps: at a thousand API calls a second the console line was a twentieth of a call's CPU.
            .WriteTo.Async(a => a
                .Logger(console => console
                    .Filter.ByExcluding(e => e.Level <= LogEventLevel.Information && IsRequestLog(e))
                    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"))
                .WriteTo.File(Path.Combine(options.LogDirectory, "commandcenter-.log"),
                    rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, fileSizeLimitBytes: 50_000_000,
                    rollOnFileSizeLimit: true,
                    outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"),
                bufferSize: 10_000, blockWhenFull: true),
            preserveStaticLogger: true);

        services.Configure<CommandCenterOptions>(config.GetSection(CommandCenterOptions.SectionName));
        if (!SupportedCultures.All.Contains(options.Culture, StringComparer.OrdinalIgnoreCase))
        {
            throw new SettingException($"Setting 'CommandCenter:Culture' is '{options.Culture}'; use one of {string.Join(", ", SupportedCultures.All)}.");
        }

        // Data: fails here, naming the setting, if the provider or connection string is wrong.
        var dbOptions = config.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(LoopHostingOptions.From(config.GetSection("CommandCenter:Loop")));
        services.AddSingleton(config.GetSection(CommandCenter.Domain.Alarms.AlarmOptions.SectionName).Get<CommandCenter.Domain.Alarms.AlarmOptions>() ?? new CommandCenter.Domain.Alarms.AlarmOptions());
        services.AddCommandCenterData(dbOptions);

        // Live board: one per node, in memory.
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new BoardClock(sp.GetRequiredService<TimeProvider>(), BoardClock.FindZone(options.TimeZone)));
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<LiveBoard>();
            // A point is silent on the board by the silent-device job's rule and margin (section Devices).
            var devices = sp.GetService<CommandCenter.Data.History.HistoryOptions>();
            var silence = devices is null ? null : new CommandCenter.Domain.Devices.SilenceMargin(devices.SilentFactor, devices.SilentGrace);
            return new LiveBoard(sp.GetRequiredService<BoardClock>(), silence)
            {
                SubscriberFailed = ex => log.LogError(ex, "A live-board subscriber failed; the others got the change"),
                RaisesNotice = sp.GetRequiredService<CommandCenter.Domain.Alarms.AlarmOptions>().RaisesNotice,
            };
        });
        services.AddSingleton<ILiveBoard>(sp => sp.GetRequiredService<LiveBoard>());
        services.AddSingleton<ILiveEventSink>(sp => sp.GetRequiredService<LiveBoard>());
        services.AddSingleton<SnapshotJson>();

        // Start-up order: initialise the database and board first, then jobs, broadcaster, simulator.
        services.AddSingleton<StartupInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupInitializer>());
        services.AddCommandCenterJobs(config);
        services.AddHostedService<LiveHubBroadcaster>();
        services.AddCommandCenterIngestion(config); // write queue (Ingestion:*) and the MQTT subscriber (Mqtt:*)
        services.AddSingleton<CommandCenter.Data.Assessments.AssessmentVersions>();
        services.AddSingleton<RankingsBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<RankingsBoard>());
        // The demo (CommandCenter.Demo): its options, the street seeder StartupInitializer uses, and the simulator
        // when Demo:Enabled and Demo:Simulator:Enabled are on; registered last, so it starts last.
        services.AddCommandCenterDemo(config);

        // Web.
        services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DetailedErrors = builder.Environment.IsDevelopment();
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
            o.DisconnectedCircuitMaxRetained = 100;
        });
        services.AddSingleton<CircuitCounter>();
        services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(options.Culture).AddSupportedCultures(SupportedCultures.All).AddSupportedUICultures(SupportedCultures.All);
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 32 * 1024;
            o.EnableDetailedErrors = builder.Environment.IsDevelopment();
        }).AddJsonProtocol(o => ConfigureJson(o.PayloadSerializerOptions));
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddOpenApi();

        services.AddCommandCenterSecurity(config);
        services.AddOpen311(); // Open311 GeoReport v2: the api_key form field, its policy, its error format and rate limits
        services.AddIncidentConsole();

        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsMapping.Customize);
        services.AddExceptionHandler<ClientErrorExceptionHandler>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<BoardHealthCheck>("live-board", tags: ["ready"]);
        return builder;
    }

    private static readonly Func<Serilog.Events.LogEvent, bool> IsRequestLog = Serilog.Filters.Matching.FromSource("Serilog.AspNetCore.RequestLoggingMiddleware");

    public static WebApplication UseCommandCenter(this WebApplication app)
    {
        app.UseCommandCenterForwardedHeaders(); // first: everything after sees the client's address and scheme (only from known proxies)
        var sampler = app.Services.GetRequiredService<LogSampler>();
        // Before the exception handler: a request is logged once with the status it was answered with; a client's
        // mistake (4xx from ClientErrorExceptionHandler) is not logged as an error with a stack trace.
        app.UseSerilogRequestLogging(o =>
        {
            // The app's logger (async console + file, sanitised), not the static bootstrap logger, which writes to the
            // console only and synchronously.
            o.Logger = app.Services.GetService<Serilog.ILogger>();
            // Refusals (401, 429) are logged once per client address and minute, with a count after: a flood of
            // made-up credentials does not flood the log.
            o.GetLevel = (ctx, _, ex) => ex is not null || ctx.Response.StatusCode >= 500 ? LogEventLevel.Error
                : ctx.Request.Path.StartsWithSegments("/health") || ctx.Request.Path.StartsWithSegments("/_blazor") ? LogEventLevel.Verbose
                : ctx.Response.StatusCode is 401 or 429 && !sampler.ShouldLog($"requests answered {ctx.Response.StatusCode}", ctx.Connection.RemoteIpAddress?.ToString()) ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, ctx) => diagnostics.Set("RemoteIp", ctx.Connection.RemoteIpAddress?.ToString());
        });
        app.UseExceptionHandler(); // ClientErrorExceptionHandler answers client mistakes with 4xx; anything else is a 500 problem
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseCommandCenterSecurity();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http, TimeProvider time) =>
            {
                if (!SupportedCultures.All.Contains(culture, StringComparer.OrdinalIgnoreCase))
                {
                    return Results.Problem(statusCode: 400, title: "Unknown culture", detail: $"Use one of {string.Join(", ", SupportedCultures.All)}.");
                }

                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = time.GetUtcNow().AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
                return Results.LocalRedirect(AccountEndpoints.LocalUrl(returnUrl));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapCommandCenterApi();
        app.MapHub<LiveHub>(LiveHub.Path).RequireAuthorization(Policies.LiveRead);
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    /// <summary>The <c>--migrate-only</c> switch: apply migrations and stop.</summary>
    public static async Task MigrateOnlyAsync(this WebApplication app)
    {
        var applied = await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        Log.Information("Migrate-only: {Count} migration(s) applied", applied.Count);
    }

    /// <summary>
    /// The <c>--create-admin NAME</c> command: the way to the first Admin outside the demo. The password comes from
    /// the COMMANDCENTER_ADMIN_PASSWORD environment variable (never the command line, which shells and process lists keep).
    /// </summary>
    public static async Task<int> CreateAdminAsync(this WebApplication app, string? userName)
    {
        var password = Environment.GetEnvironmentVariable("COMMANDCENTER_ADMIN_PASSWORD");
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            Log.Error("Usage: --create-admin <name>, with the password in the COMMANDCENTER_ADMIN_PASSWORD environment variable");
            return 2;
        }

        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        try
        {
            var id = await app.Services.GetRequiredService<CommandCenter.Data.Security.AccountService>()
                .CreateAsync(CommandCenter.Domain.Model.Actor.System("create-admin"), userName, userName, CommandCenter.Domain.Model.Roles.Admin, null, password);
            Log.Information("Admin {UserName} created (id {Id})", userName, id);
            return 0;
        }
        catch (InputValidationException ex)
        {
            Log.Error("Admin not created: {Reason}", ex.Message);
            return 2;
        }
    }

    public static void ConfigureJson(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.Converters.Add(new JsonStringEnumConverter());
    }

}

internal sealed class DatabaseHealthCheck(DbConnectionFactory db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await db.OpenAsync(cancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT 1";
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{db.Provider} reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} unreachable", ex);
        }
    }
}

internal sealed class BoardHealthCheck(StartupInitializer initializer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(initializer.IsReady ? HealthCheckResult.Healthy("live board loaded") : HealthCheckResult.Unhealthy("starting"));
}

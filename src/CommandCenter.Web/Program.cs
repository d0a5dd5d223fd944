using CommandCenter.Web.Hosting;
using Serilog;

// Until the host has its own logger (configured in AddCommandCenter), log start-up failures to the console.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCommandCenter();
    var app = builder.Build();
    if (args.Contains("--migrate-only"))
    {
        await app.MigrateOnlyAsync();
        return 0;
    }

    if (Array.IndexOf(args, "--create-admin") is var at and >= 0)
    {
        return await app.CreateAdminAsync(at + 1 < args.Length ? args[at + 1] : null);
    }

    app.UseCommandCenter();
    await app.RunAsync();
    return 0;
}
catch (CommandCenter.Data.Infrastructure.SettingException ex)
{
    // A setting is wrong: say which, without a stack trace.
    Log.Fatal("CommandCenter did not start: {Reason}", ex.Message);
    return 2;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "CommandCenter stopped: {Reason}", ex.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;

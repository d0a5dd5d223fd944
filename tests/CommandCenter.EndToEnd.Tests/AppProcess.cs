using System.Diagnostics;
using System.Text;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>The web app's build output (copied beside this test assembly), started as its own process.</summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<AppProcess> StartAsync(string folder, int port, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CommandCenter.Web.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{port}", "--environment", "Production",
                     $"--Database:ConnectionString=Data Source={Path.Combine(folder, "cc.db")}",
                     "--Demo:Simulator:Enabled=false", $"--CommandCenter:LogDirectory={Path.Combine(folder, "logs")}",
                 }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }

        var app = new AppProcess(Process.Start(psi)!);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (app._process.HasExited)
            {
                throw new InvalidOperationException("The app exited during start-up:\n" + app.Output);
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(250);
        }

        app.Dispose();
        throw new TimeoutException("The app was not ready within 120 s:\n" + app.Output);
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>SIGTERM: the host stops gracefully (Quartz and the broadcaster finish, SQLite checkpoints).</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL, as a power cut or the OOM killer would.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}

/// <summary>A test class that drives one headless Chromium (Debian's, see <see cref="Browser.Options"/>) for its tests.</summary>
public abstract class ChromiumTest : Xunit.IAsyncLifetime
{
    private Microsoft.Playwright.IPlaywright _playwright = null!;

    protected Microsoft.Playwright.IBrowser BrowserInstance { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        BrowserInstance = await _playwright.Chromium.LaunchAsync(Browser.Options);
    }

    public virtual async Task DisposeAsync()
    {
        await BrowserInstance.DisposeAsync();
        _playwright.Dispose();
    }
}

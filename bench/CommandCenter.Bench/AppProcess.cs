using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CommandCenter.Bench;

/// <summary>Where things are: the repository root and the web app's Release build output.</summary>
internal static class Paths
{
    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CommandCenter.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find CommandCenter.sln above the bench's folder or the current folder.");
    }

    public static string DefaultAppDll() =>
        Path.Combine(RepoRoot(), "src", "CommandCenter.Web", "bin", "Release", "net10.0", "CommandCenter.Web.dll");
}

/// <summary>A diagnostics reading of the app (GET /api/v1/diagnostics).</summary>
internal sealed record Diagnostics(long BoardVersion, int CircuitsOpen, int CircuitsConnected, long ManagedBytes, long WorkingSetBytes);

/// <summary>
/// The web app as its own process, from its Release build output, on a loopback port, with its database and logs
/// in a fresh temp folder. Stopped with SIGTERM (graceful shutdown), killed only if it does not stop in time.
/// </summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    public const string ApiKey = "demo-key-change-me";

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _outputGate = new();
    private bool _stopped;

    private AppProcess(Process process, string folder, Uri baseAddress, long startedAt)
    {
        _process = process;
        Folder = folder;
        BaseAddress = baseAddress;
        StartedAt = startedAt;
    }

    public string Folder { get; }

    public Uri BaseAddress { get; }

    public string DatabaseFile => Path.Combine(Folder, "cc.db");

    /// <summary><see cref="Stopwatch.GetTimestamp"/> taken just before <see cref="Process.Start()"/>.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public IReadOnlyList<string> Output
    {
        get { lock (_outputGate) { return [.. _output]; } }
    }

    /// <summary>
    /// Starts the app. The working directory (and so the content root with appsettings.json) is the build output.
    /// <paramref name="database"/>: a SQLite file copied in as the app's database (with its -wal file, if any) before
    /// the process starts, so the app migrates and loads that state instead of seeding an empty one.
    /// </summary>
    public static AppProcess Start(string appDll, bool simulator = false, string? tempPrefix = null, IEnumerable<string>? extraArgs = null,
        string? database = null)
    {
        if (!File.Exists(appDll))
        {
            throw new FileNotFoundException(
                $"The web app's build output is missing: {appDll}. Build it first: dotnet build CommandCenter.sln -c Release", appDll);
        }

        if (database is not null && !File.Exists(database))
        {
            throw new FileNotFoundException($"The database to start the app on is missing: {database}", database);
        }

        var folder = Directory.CreateTempSubdirectory(tempPrefix ?? "cc-bench-").FullName;
        if (database is not null)
        {
            File.Copy(database, Path.Combine(folder, "cc.db"));
            if (File.Exists(database + "-wal"))
            {
                File.Copy(database + "-wal", Path.Combine(folder, "cc.db-wal"));
            }
        }

        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var appDir = Path.GetDirectoryName(Path.GetFullPath(appDll))!;
        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = appDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var arg in new[]
                 {
                     appDll, "--urls", baseAddress.ToString().TrimEnd('/'),
                     "--contentRoot", appDir,
                     $"--Database:ConnectionString=Data Source={Path.Combine(folder, "cc.db")}",
                     $"--Demo:Simulator:Enabled={(simulator ? "true" : "false")}",
                     $"--CommandCenter:LogDirectory={Path.Combine(folder, "logs")}",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var arg in extraArgs ?? [])
        {
            psi.ArgumentList.Add(arg);
        }

        // A production-like host: no inherited environment or URLs from the shell that runs the bench.
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("ASPNETCORE_URLS");
        psi.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var startedAt = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            throw new InvalidOperationException("The web app process did not start.");
        }

        var app = new AppProcess(process, folder, baseAddress, startedAt);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>
    /// A client signed in as the demo Admin through the real sign-in form (antiforgery token and all), without the API
    /// key: <c>GET /api/v1/diagnostics?gc=true</c> is Admin-only.
    /// </summary>
    public static async Task<HttpClient> AdminClientAsync(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false,
            UseCookies = true, CookieContainer = new CookieContainer(),
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var (userName, _, _, _, password) = CommandCenter.Web.Security.DemoAccounts.Users[0];
        var html = await client.GetStringAsync(new Uri("login", UriKind.Relative)).ConfigureAwait(false);
        var token = AntiforgeryRegex().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups["v"].Value)
            : throw new InvalidOperationException("The /login page has no antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = userName, ["password"] = password, ["returnUrl"] = "/",
        });
        using var response = await client.PostAsync(new Uri("account/login", UriKind.Relative), form).ConfigureAwait(false);
        if (handler.CookieContainer.GetCookies(baseAddress)[CommandCenter.Web.Security.Schemes.UserCookieName] is null)
        {
            client.Dispose();
            throw new InvalidOperationException($"Signing in as the demo Admin failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>Polls /health/ready every 20 ms until 200; returns the time from process start to that answer.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout)
    {
        using var client = Client(BaseAddress, TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode} before it was ready:\n{Tail(30)}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A slow answer while starting: try again.
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException($"The web app was not ready within {timeout.TotalSeconds:0} s:\n{Tail(30)}");
    }

    public async Task<Diagnostics> DiagnosticsAsync(HttpClient client, bool gc)
    {
        using var response = await client.GetAsync(new Uri(gc ? "api/v1/diagnostics?gc=true" : "api/v1/diagnostics", UriKind.Relative)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var doc = await JsonDocument.ParseAsync(body).ConfigureAwait(false);
        var r = doc.RootElement;
        return new Diagnostics(
            r.GetProperty("boardVersion").GetInt64(),
            r.GetProperty("circuitsOpen").GetInt32(),
            r.GetProperty("circuitsConnected").GetInt32(),
            r.GetProperty("managedBytes").GetInt64(),
            r.GetProperty("workingSetBytes").GetInt64());
    }

    /// <summary>The seeder's own log line ("Seeded demo street ... in N ms (generation M ms)"), if it was printed.</summary>
    public (double SeedMs, double GenerationMs, string Line)? SeederLine()
    {
        foreach (var line in Output)
        {
            var m = SeededRegex().Match(line);
            if (m.Success)
            {
                return (double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                        double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), line);
            }
        }

        return null;
    }

    /// <summary>The initializer's own line ("Command center ready in N ms"): migrations + seeding + board load.</summary>
    public double? ReadyLineMs()
    {
        foreach (var line in Output)
        {
            var m = ReadyRegex().Match(line);
            if (m.Success)
            {
                return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public string Tail(int lines)
    {
        var output = Output;
        return string.Join('\n', output.Skip(Math.Max(0, output.Count - lines)));
    }

    /// <summary>SIGTERM, then up to 20 s for a graceful stop; SIGKILL (whole tree) if it hangs. Returns how it ended.</summary>
    public async Task<string> StopAsync()
    {
        if (_stopped)
        {
            return "already stopped";
        }

        _stopped = true;
        if (_process.HasExited)
        {
            return $"had exited (code {_process.ExitCode})";
        }

        var signalled = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Posix.Kill(_process.Id, Posix.SigTerm) == 0 : false;
        if (signalled)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                return $"stopped by SIGTERM (exit code {_process.ExitCode})";
            }
            catch (OperationCanceledException)
            {
                // Fall through to kill.
            }
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return signalled ? "killed after 20 s without stopping on SIGTERM" : "killed";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
        if (Environment.GetEnvironmentVariable("CC_BENCH_KEEP_TEMP") != "1")
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
            catch (UnauthorizedAccessException)
            {
                // Best effort.
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        line = AnsiRegex().Replace(line, "");
        lock (_outputGate)
        {
            // Past 20,000 lines (a load run logs every request) only warnings, errors and the board re-sync are kept.
            if (_output.Count < 20_000 || (_output.Count < 25_000 && NotableRegex().IsMatch(line)))
            {
                _output.Add(line);
            }
        }
    }

    /// <summary>The app's warning, error and fatal log lines (Serilog console format "[HH:mm:ss WRN] ...").</summary>
    public IReadOnlyList<string> Problems() => Output.Where(l => ProblemRegex().IsMatch(l)).ToList();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        return "dotnet";
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<v>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryRegex();

    [GeneratedRegex(@"Seeded demo street .* in (\d+) ms \(generation (\d+) ms\)")]
    private static partial Regex SeededRegex();

    [GeneratedRegex(@"Command center ready in (\d+) ms")]
    private static partial Regex ReadyRegex();

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (WRN|ERR|FTL)\]")]
    private static partial Regex ProblemRegex();

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (WRN|ERR|FTL)\]|Live board re-synced")]
    private static partial Regex NotableRegex();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiRegex();

    private static class Posix
    {
        public const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}

using System.Diagnostics;
using System.Globalization;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>Settings of a run, from the command line.</summary>
internal sealed class Options
{
    public string Command { get; set; } = "all";
    public string AppDll { get; set; } = Paths.DefaultAppDll();
    public string ChromiumPath { get; set; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
    public int StartupRuns { get; set; } = 3;
    public int Iterations { get; set; } = 2000;
    public int Warmup { get; set; } = 200;
    public int HttpRequests { get; set; } = 1000;
    public int HttpWarmup { get; set; } = 100;
    public int Circuits { get; set; } = 20;
    public int IdleSeconds { get; set; } = 10;
    public int ReadyTimeoutSeconds { get; set; } = 180;
    public int QuietWaitSeconds { get; set; }
    public double QuietBelow { get; set; } = 0.5;
    public int HubClients { get; set; } = 200;
    public int[] HubRates { get; set; } = [200, 500, 1000];
    public int HubSeconds { get; set; } = 10;
    public int Seconds { get; set; } = 20;
    public int WarmupSeconds { get; set; } = 10;
    public int Batch { get; set; } = 500;
    public int MqttBatch { get; set; } = 50;
    public int MqttRate { get; set; } = 25_000;
    public IReadOnlyList<int> OpenLevels { get; set; } = [0, 10_000, 50_000];
    public int History { get; set; } = 1_000_000;
    public string? Out { get; set; }
}

internal static class BenchMain
{
    private const string Usage = """
        CommandCenter benchmarks. Build first: dotnet build CommandCenter.sln -c Release

          dotnet run -c Release --project bench/CommandCenter.Bench -- <command> [options]

        commands:
          startup    start-up to ready on an empty database, N runs (each a new process and temp folder)
          snapshot   GetSnapshot() built/cached and JSON serialisation in-process; GET /api/v1/snapshot over loopback
          circuits   managed memory per idle wall-screen circuit (headless Chromium via Playwright)
          board      in-process: LiveBoard.Publish cost per event with 0, 10,000 and 50,000 open incidents held
          incidents  POST /api/v1/incidents/s from 8 clients with 0, 10,000 and 50,000 extra open incidents loaded
          readings   POST /api/v1/readings in batches from 4 clients vs the raw SQLite insert limit
          mqtt       readings over MQTT (QoS 1) via a mosquitto started on a free port vs the raw SQLite insert limit;
                     the app's memory (VmRSS) over the run
          mqtt-hub   MQTT publish -> /hubs/live client latency: --clients hub clients, single readings at 1,000/s (QoS 1)
                     through a mosquitto on a free port, 2 s warm-up + --seconds measured
          hub        accept -> hub client latency: N SignalR clients on /hubs/live, POST /api/v1/incidents at each rate
          alarms     in-process: a noisy storm replayed through the ingestion handlers; alarm flood and missed alarms
          loop       the closed loop with --history incidents (1,000,000): queue page + counts per filter, one action, actions/s via the API
          scoring    in-process: a year of demo activity (90 days copied 4 times) scored into points from scratch
          assess     in-process: a year of demo activity scored from scratch; one week's assessment of all grids and communities
          reports-render  in-process: a week's and a month's assessment report of the demo street's size as PDF, XLSX
                     and CSV, in Chinese and English (not part of 'all'; needs no app build)
          all        startup, snapshot, board, circuits, incidents, readings, hub, in this order

        options:
          --runs N            start-up runs (3)
          --iterations N      in-process iterations per operation (2000), after --warmup N (200)
          --requests N        HTTP requests (1000), after --http-warmup N (100)
          --circuits N        wall screens to open (20)
          --idle S            seconds the screens idle before the reading (10)
          --seconds S         measured seconds of each HTTP load run (incidents, readings: 20, after --warmup-seconds S,
                              10; hub: 10 per rate, after a 2 s warm-up)
          --open-levels LIST  extra open incidents per incidents run, comma-separated (0,10000,50000)
          --batch N           readings per POST and per raw transaction (500; at most 5000)
          --mqtt-batch N      mqtt: readings per MQTT message (50)
          --mqtt-rate N       mqtt: readings per second offered by the publishers together (25000)
          --app PATH          CommandCenter.Web.dll (src/CommandCenter.Web/bin/Release/net10.0/CommandCenter.Web.dll)
          --chromium PATH     Chromium executable (/usr/bin/chromium, or $CHROMIUM_PATH)
          --clients N         hub: SignalR clients (200)
          --rates R1,R2,...   hub: incidents per second, one phase each (200,500,1000)
          --out FILE          Markdown output (bench/results/latest.md)
          --quiet-wait S      before each part, wait up to S seconds for the 1-min load average to drop below
                              --quiet-below L (0.5) (0: don't wait)
        """;

    public static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n\n" + Usage);
            return 2;
        }

        var commands = options.Command switch
        {
            "all" => new[] { "startup", "snapshot", "board", "circuits", "incidents", "readings", "hub" },
            "startup" or "snapshot" or "board" or "circuits" or "incidents" or "readings" or "hub" or "alarms" or "mqtt" or "mqtt-hub" or "loop"
                or "scoring" or "assess" or "reports-render" => [options.Command],
            _ => null,
        };
        if (commands is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{options.Command}'.\n\n{Usage}");
            return 2;
        }

        if (options.Command != "reports-render" && !File.Exists(options.AppDll))
        {
            await Console.Error.WriteLineAsync($"Missing {options.AppDll}: build first with `dotnet build CommandCenter.sln -c Release` (or pass --app).");
            return 2;
        }

        var report = new Report();
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var failed = false;
        foreach (var command in commands)
        {
            await WaitQuietAsync(options.QuietWaitSeconds, options.QuietBelow);
            report.NoteLoad(command + " start");
            try
            {
                switch (command)
                {
                    case "startup": await StartupBench.RunAsync(options, report); break;
                    case "snapshot": await SnapshotBench.RunAsync(options, report); break;
                    case "board": await BoardBench.RunAsync(options, report); break;
                    case "circuits": await CircuitsBench.RunAsync(options, report); break;
                    case "hub": await HubBench.RunAsync(options, report); break;
                    case "incidents": await IncidentsBench.RunAsync(options, report); break;
                    case "readings": await ReadingsBench.RunAsync(options, report); break;
                    case "alarms": await AlarmsBench.RunAsync(options, report); break;
                    case "mqtt": await MqttBench.RunAsync(options, report); break;
                    case "mqtt-hub": await MqttHubBench.RunAsync(options, report); break;
                    case "loop": await LoopBench.RunAsync(options, report); break;
                    case "scoring": await ScoringBench.RunAsync(options, report); break;
                    case "assess": await AssessmentsBench.RunAsync(options, report); break;
                    case "reports-render": await ReportsBench.RunAsync(options, report); break;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException or Microsoft.Playwright.PlaywrightException
                                           or Microsoft.Data.Sqlite.SqliteException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"[{command}] failed: {ex}");
                report.Section($"{command}: FAILED", "```\n" + ex.Message + "\n```");
            }

            report.NoteLoad(command + " end");
        }

        var markdown = report.Render("dotnet run -c Release --project bench/CommandCenter.Bench -- " + string.Join(' ', args.DefaultIfEmpty("all")), started, watch.Elapsed);
        Console.WriteLine(markdown);
        var outFile = options.Out ?? Path.Combine(Paths.RepoRoot(), "bench", "results", "latest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllTextAsync(outFile, markdown);
        if (options.Out is null)
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(outFile)!, I($"{started:yyyyMMdd-HHmmss}-{options.Command}.md")), markdown);
        }

        await Console.Error.WriteLineAsync($"Written to {outFile}");
        return failed ? 1 : 0;
    }

    /// <summary>Waits (bounded) for other work on the machine to calm down; benchmarks on 2 busy cores measure the neighbours.</summary>
    private static async Task WaitQuietAsync(int seconds, double below)
    {
        if (seconds <= 0 || Report.LoadAverage() is null)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        while (Report.LoadAverage() >= below && Stopwatch.GetTimestamp() < deadline)
        {
            await Console.Error.WriteLineAsync(I($"[quiet-wait] load average {Report.LoadAverage():0.00}; waiting..."));
            await Task.Delay(TimeSpan.FromSeconds(15));
        }
    }

    private static Options Parse(string[] args)
    {
        var o = new Options();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            o.Command = args[0];
            i = 1;
        }

        for (; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException("Usage:");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {name} needs a value.");
            }

            var value = args[++i];
            int Int() => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"Option {name} needs a positive whole number, not '{value}'.");
            switch (name)
            {
                case "--runs": o.StartupRuns = Int(); break;
                case "--iterations": o.Iterations = Int(); break;
                case "--warmup": o.Warmup = Int(); break;
                case "--requests": o.HttpRequests = Int(); break;
                case "--http-warmup": o.HttpWarmup = Int(); break;
                case "--circuits": o.Circuits = Int(); break;
                case "--idle": o.IdleSeconds = Int(); break;
                case "--ready-timeout": o.ReadyTimeoutSeconds = Int(); break;
                case "--app": o.AppDll = Path.GetFullPath(value); break;
                case "--chromium": o.ChromiumPath = value; break;
                case "--quiet-wait": o.QuietWaitSeconds = Int(); break;
                case "--quiet-below":
                    o.QuietBelow = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var l) && l > 0
                        ? l
                        : throw new ArgumentException($"Option {name} needs a positive number, not '{value}'.");
                    break;
                case "--clients": o.HubClients = Int(); break;
                case "--rates":
                    o.HubRates = [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(r =>
                        int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                            ? v
                            : throw new ArgumentException($"Option {name} needs positive whole numbers separated by commas, not '{value}'."))];
                    break;
                case "--out": o.Out = Path.GetFullPath(value); break;
                case "--seconds": o.Seconds = o.HubSeconds = Int(); break;
                case "--warmup-seconds": o.WarmupSeconds = Int(); break;
                case "--mqtt-batch": o.MqttBatch = Int(); break;
                case "--mqtt-rate": o.MqttRate = Int(); break;
                case "--batch":
                    o.Batch = Int() is var b && b <= CommandCenter.Data.Readings.RecordReadingsHandler.MaxPerBatch
                        ? b
                        : throw new ArgumentException(I($"Option {name}: the app takes at most {CommandCenter.Data.Readings.RecordReadingsHandler.MaxPerBatch} readings per batch."));
                    break;
                case "--history": o.History = Int(); break;
                case "--open-levels":
                    o.OpenLevels = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1_000_000
                            ? n
                            : throw new ArgumentException($"Option {name} needs whole numbers from 0 to 1,000,000, comma-separated, not '{value}'."))
                        .ToList();
                    if (o.OpenLevels.Count == 0) throw new ArgumentException($"Option {name} needs at least one level.");
                    break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        return o;
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>One request to send: its JSON body and how many units (incidents, readings) it carries.</summary>
internal sealed record LoadRequest(byte[] Body, int Units);

/// <summary>One answered (or failed) request: Stopwatch timestamps, HTTP status (0: no answer), units carried.</summary>
internal readonly record struct LoadSample(long Start, long End, int Status, int Units)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>What a closed-loop load run saw: every sample, the measured window, and the failures.</summary>
internal sealed class LoadResult
{
    public required IReadOnlyList<LoadSample> Samples { get; init; }

    /// <summary>Stopwatch timestamps of the measured window (after the warm-up).</summary>
    public required long MeasureStart { get; init; }

    public required long MeasureEnd { get; init; }

    public required int Seconds { get; init; }

    public required int WarmupSeconds { get; init; }

    /// <summary>Status code → count over the whole run (warm-up included), non-2xx and no-answer (0) only.</summary>
    public required IReadOnlyDictionary<int, int> Failures { get; init; }

    /// <summary>The first non-2xx answer's status and body, or the first transport error.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>Why the run stopped before its time (too many failures, requests exhausted), if it did.</summary>
    public string? StoppedEarly { get; init; }

    public int FailureCount => Failures.Values.Sum();

    /// <summary>Units carried by 2xx answers over the whole run, warm-up included (what the database must hold).</summary>
    public long AcceptedUnitsAll => Samples.Where(s => s.Ok).Sum(s => (long)s.Units);

    /// <summary>Samples that ended inside the measured window.</summary>
    public IReadOnlyList<LoadSample> Measured => Samples.Where(s => s.End >= MeasureStart && s.End < MeasureEnd).ToList();

    public double WindowSeconds => (MeasureEnd - MeasureStart) / (double)Stopwatch.Frequency;

    /// <summary>Units of 2xx answers per second over the measured window.</summary>
    public double UnitsPerSecond => Measured.Where(s => s.Ok).Sum(s => (double)s.Units) / WindowSeconds;

    /// <summary>Units of 2xx answers that ended in each whole second of the measured window.</summary>
    public long[] PerSecond() => PerSecond(MeasureStart, Seconds);

    /// <summary>The same for the warm-up seconds (not part of any figure; shows how the app got going).</summary>
    public long[] WarmupPerSecond() => PerSecond(MeasureStart - (WarmupSeconds * Stopwatch.Frequency), WarmupSeconds);

    private long[] PerSecond(long from, int seconds)
    {
        var buckets = new long[seconds];
        var until = Math.Min(MeasureEnd, from + (seconds * Stopwatch.Frequency));
        foreach (var s in Samples.Where(s => s.Ok && s.End >= from && s.End < until))
        {
            var i = (int)((s.End - from) / Stopwatch.Frequency);
            if (i >= 0 && i < buckets.Length)
            {
                buckets[i] += s.Units;
            }
        }

        return buckets;
    }

    /// <summary>Round-trip times (ms) of the 2xx requests that ended in the measured window.</summary>
    public Summary? Latency()
    {
        var ms = Measured.Where(s => s.Ok).Select(s => Time.Ms(s.Start, s.End)).ToList();
        return ms.Count == 0 ? null : Summary.Of(ms);
    }
}

/// <summary>
/// Closed-loop HTTP load: N clients, each sending its next request as soon as the previous answer is read, for a
/// warm-up and then a measured window. Bounded by time, by a request count, and by a failure count.
/// </summary>
internal static class HttpLoad
{
    /// <summary>After this many failed requests the run stops: something is wrong, and more of it measures nothing.</summary>
    public const int MaxFailures = 1000;

    public static async Task<LoadResult> RunAsync(HttpClient client, string path, int clients, int warmupSeconds, int seconds,
        Func<LoadRequest?> next, long maxRequests, string tag)
    {
        var uri = new Uri(path, UriKind.Relative);
        var started = Stopwatch.GetTimestamp();
        var measureStart = started + (warmupSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (seconds * Stopwatch.Frequency);
        using var abort = new CancellationTokenSource();
        var failures = new Dictionary<int, int>();
        var gate = new Lock();
        string? firstFailure = null;
        string? stoppedEarly = null;
        long sent = 0;
        var failed = 0;

        void Fail(int status, string text)
        {
            lock (gate)
            {
                failures[status] = failures.GetValueOrDefault(status) + 1;
                if (firstFailure is null)
                {
                    firstFailure = status == 0 ? "no answer: " + text : I($"HTTP {status}: {text}");
                    Console.Error.WriteLine(I($"[{tag}] first failure: {firstFailure}"));
                }
            }

            if (Interlocked.Increment(ref failed) >= MaxFailures)
            {
                stoppedEarly ??= I($"stopped after {MaxFailures} failed requests");
                abort.Cancel();
            }
        }

        async Task<List<LoadSample>> ClientAsync()
        {
            var samples = new List<LoadSample>(4096);
            while (!abort.IsCancellationRequested && Stopwatch.GetTimestamp() < measureEnd)
            {
                if (Interlocked.Increment(ref sent) > maxRequests)
                {
                    stoppedEarly ??= I($"stopped at the cap of {maxRequests:N0} requests");
                    break;
                }

                if (next() is not { } request)
                {
                    stoppedEarly ??= "stopped: no more distinct requests to send";
                    break;
                }

                using var content = new ByteArrayContent(request.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var t0 = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.PostAsync(uri, content, abort.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    if (status is >= 200 and < 300)
                    {
                        _ = await response.Content.ReadAsByteArrayAsync(abort.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        var body = await response.Content.ReadAsStringAsync(abort.Token).ConfigureAwait(false);
                        Fail(status, body.Length > 2000 ? body[..2000] + "..." : body);
                    }
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                    Fail(0, ex.GetType().Name + ": " + ex.Message);
                }

                samples.Add(new LoadSample(t0, Stopwatch.GetTimestamp(), status, request.Units));
            }

            return samples;
        }

        Console.Error.WriteLine(I($"[{tag}] {clients} clients: {warmupSeconds} s warm-up + {seconds} s measured..."));
        var all = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync))).ConfigureAwait(false);
        var result = new LoadResult
        {
            Samples = all.SelectMany(s => s).OrderBy(s => s.End).ToList(),
            MeasureStart = measureStart,
            MeasureEnd = Math.Min(measureEnd, Math.Max(measureStart + 1, all.SelectMany(s => s).Select(s => s.End).DefaultIfEmpty(measureEnd).Max())),
            Seconds = seconds,
            WarmupSeconds = warmupSeconds,
            Failures = failures,
            FirstFailure = firstFailure,
            StoppedEarly = stoppedEarly,
        };
        Console.Error.WriteLine(I($"[{tag}] {result.UnitsPerSecond:N0}/s over {result.WindowSeconds:0.0} s; {result.FailureCount} failed request(s)"));
        return result;
    }

    /// <summary>"123, 130, 128, ..." for a per-second series.</summary>
    public static string Series(long[] perSecond) => string.Join(", ", perSecond.Select(v => I($"{v:N0}")));

    /// <summary>"warm-up 12, 40, ...; measured 123, 130, ..." of a run.</summary>
    public static string Series(LoadResult load) => I($"warm-up {Series(load.WarmupPerSecond())}; measured {Series(load.PerSecond())}");

    /// <summary>Markdown lines on the app's warnings and errors logged during a load run (none: nothing).</summary>
    public static string ProblemsNote(IReadOnlyList<string> problems, string indent = "")
    {
        if (problems.Count == 0)
        {
            return "";
        }

        var sb = new System.Text.StringBuilder();
        var byLevel = problems.GroupBy(p => p.Length > 13 ? p[10..13] : "?").Select(g => I($"{g.Count():N0} {g.Key}"));
        sb.AppendLine(I($"{indent}- The app logged {string.Join(", ", byLevel)} line(s) during the load; the first {Math.Min(3, problems.Count)}:"));
        foreach (var p in problems.Take(3))
        {
            sb.AppendLine(I($"{indent}  `{(p.Length > 400 ? p[..400] + "..." : p).Replace('`', '\'')}`"));
        }

        return sb.ToString();
    }
}

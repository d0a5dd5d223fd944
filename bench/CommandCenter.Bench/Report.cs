using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CommandCenter.Bench;

/// <summary>One headline figure with its target (if any) for the summary table.</summary>
internal sealed record Headline(string What, string Value, string Target, string Verdict);

/// <summary>Collects the Markdown of a run: machine, headline table, then one section per benchmark.</summary>
internal sealed class Report
{
    private readonly List<Headline> _headlines = [];
    private readonly StringBuilder _sections = new();

    private readonly List<string> _loads = [];

    public void Add(Headline headline) => _headlines.Add(headline);

    /// <summary>Notes the machine's 1-minute load average (Linux), to show how quiet the machine was.</summary>
    public void NoteLoad(string when)
    {
        if (LoadAverage() is { } load)
        {
            _loads.Add(I($"{when} {load:0.00}"));
        }
    }

    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Section(string title, string body)
    {
        _sections.Append("## ").AppendLine(title).AppendLine();
        _sections.AppendLine(body.TrimEnd()).AppendLine();
    }

    public string Render(string command, DateTimeOffset started, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# CommandCenter benchmark results").AppendLine();
        sb.AppendLine(I($"- Date: {started:yyyy-MM-dd HH:mm} UTC, run took {elapsed.TotalSeconds:0} s"));
        sb.AppendLine(I($"- Command: `{command}`"));
        sb.AppendLine(I($"- Machine: {Environment.ProcessorCount} logical cores ({CpuModel()}), {TotalMemoryGiB():0.0} GiB RAM, {RuntimeInformation.OSDescription}"));
        sb.AppendLine(I($"- Runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}"));
        if (_loads.Count > 0)
        {
            sb.AppendLine(I($"- Load average (1 min) of the machine when each part started/ended, other processes included: {string.Join(", ", _loads)}"));
        }
        sb.AppendLine();
        if (_headlines.Count > 0)
        {
            sb.AppendLine("| Measure | Measured | Target | Ratio |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var h in _headlines)
            {
                sb.AppendLine(I($"| {h.What} | {h.Value} | {h.Target} | {h.Verdict} |"));
            }

            sb.AppendLine();
        }

        sb.Append(_sections);
        return sb.ToString();
    }

    /// <summary>"24× under" / "1.3× over" for a measured value against an upper-bound target.</summary>
    public static string Ratio(double measured, double target)
    {
        if (measured <= 0)
        {
            return "—";
        }

        return measured <= target
            ? I($"{target / measured:0.#}× under")
            : I($"{measured / target:0.##}× over (target missed)");
    }

    /// <summary>"met (1.3× the target)" / "target missed (0.42× the target)" for a measured value against a lower-bound target.</summary>
    public static string AtLeast(double measured, double target) =>
        measured >= target
            ? I($"met ({measured / target:0.##}× the target)")
            : I($"target missed ({measured / target:0.##}× the target)");

    public static string I(FormattableString text) => FormattableString.Invariant(text);

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1024 * 1024 => I($"{bytes / 1024 / 1024:0.00} MiB"),
        >= 1024 => I($"{bytes / 1024:0.0} KB"),
        _ => I($"{bytes:0} B"),
    };

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown CPU";
        }
    }

    private static double TotalMemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null)
            {
                var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return kb / 1024 / 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
    }
}

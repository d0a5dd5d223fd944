using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// Every log event of every app the tests start, as text (message, all properties, exception), for the
/// final log scan. The apps add <see cref="TestLogSinkExtensions.TestLogCollector"/> through their Serilog
/// configuration (<see cref="Settings"/>), so the events pass through the app's own Serilog pipeline, levels
/// and overrides, exactly like the console and file sinks.
/// </summary>
public static class TestLog
{
    /// <summary>The settings that make an app's Serilog pipeline write to the collector too.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Serilog:Using:TestLogCollector"] = typeof(TestLog).Assembly.GetName().Name!,
        // The plain-string form (the value names the method): a section with children arrives here with an empty value.
        ["Serilog:WriteTo:TestLogCollector"] = nameof(TestLogSinkExtensions.TestLogCollector),
    };

    private static readonly ConcurrentQueue<string> Lines = new();

    public static IReadOnlyList<string> Snapshot() => [.. Lines];

    internal static void Add(string line) => Lines.Enqueue(line);
}

/// <summary>Secrets the tests use (passwords, keys, device tokens, enrollment codes, cookies): none may appear in any log line.</summary>
public static class TestSecrets
{
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    /// <summary>Registers a secret and returns it, so it can be registered where it is made.</summary>
    public static string Register(string kind, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (secret.Length < 8)
        {
            throw new ArgumentException($"A {kind} under 8 characters would match ordinary log text; use a longer one.", nameof(secret));
        }

        Known.TryAdd(secret, kind);
        return secret;
    }

    public static IReadOnlyDictionary<string, string> All => Known;
}

public sealed class TestLogSink : ILogEventSink
{
    private static readonly MessageTemplateTextFormatter Formatter = new(
        "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture);

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Formatter.Format(logEvent, text);
        TestLog.Add(text.ToString());
    }
}

public static class TestLogSinkExtensions
{
    /// <summary>Named in configuration as <c>Serilog:WriteTo:TestLogCollector</c>.</summary>
    public static LoggerConfiguration TestLogCollector(this LoggerSinkConfiguration sinkConfiguration)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        return sinkConfiguration.Sink(new TestLogSink(), LogEventLevel.Verbose);
    }
}

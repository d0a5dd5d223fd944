using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Web.Tests.Security;

/// <summary>A logger that keeps every message (level and text) and lets a test wait for the next one that matches.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Channel<(LogLevel Level, string Text)> _pending = Channel.CreateUnbounded<(LogLevel, string)>();
    private readonly List<(LogLevel Level, string Text)> _all = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var entry = (logLevel, formatter(state, exception));
        lock (_gate)
        {
            _all.Add(entry);
        }

        _pending.Writer.TryWrite(entry);
    }

    /// <summary>Waits for the next message (not seen by an earlier wait) that matches; fails after <paramref name="timeout"/>.</summary>
    public async Task<string> NextAsync(Func<LogLevel, string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var (level, text) = await _pending.Reader.ReadAsync(cts.Token);
            if (match(level, text)) return text;
        }
    }
}

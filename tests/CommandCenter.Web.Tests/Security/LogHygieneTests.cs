using System.Collections.Concurrent;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;

namespace CommandCenter.Web.Tests.Security;

/// <summary>The pieces behind log hygiene and the proxy settings, on their own: sampling of repeated warnings (fake clock), escaping, settings.</summary>
public sealed class LogHygieneTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void LogSampler_AFloodFromOneAddress_FirstLoggedThenOneCountWhenTheMinuteIsOver()
    {
        using var loggers = new ListLoggerFactory();
        using var sampler = new LogSampler(_time, loggers);

        var logged = Enumerable.Range(0, 30_000).Count(_ => sampler.ShouldLog("rejected API keys", "203.0.113.5"));
        var otherAddress = sampler.ShouldLog("rejected API keys", "203.0.113.6");
        var otherKind = sampler.ShouldLog("rate-limited requests", "203.0.113.5");
        Assert.Empty(loggers.Lines);
        _time.Advance(LogSampler.Window);

        Assert.Equal(1, logged);
        Assert.True(otherAddress);
        Assert.True(otherKind);
        var summary = Assert.Single(loggers.Lines);
        Assert.Equal("29999 more rejected API keys from 203.0.113.5 within a minute of the one logged (not logged one by one)", summary);
        Assert.Equal(0, sampler.Tracked);
        Assert.True(sampler.ShouldLog("rejected API keys", "203.0.113.5"));
    }

    [Fact]
    public void LogSampler_MadeUpAddressesBeyondTheBound_ShareOneEntry()
    {
        using var loggers = new ListLoggerFactory();
        using var sampler = new LogSampler(_time, loggers);

        var logged = Enumerable.Range(0, LogSampler.MaxTracked + 5000).Count(i => sampler.ShouldLog("rejected API keys", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}"));

        Assert.Equal(LogSampler.MaxTracked + 1, logged);
        Assert.Equal(LogSampler.MaxTracked + 1, sampler.Tracked);
    }

    [Fact]
    public void LogSanitizer_ControlCharactersAndOverlongText_AreEscapedAndCut()
    {
        var sink = new ListSink();
        using var logger = new Serilog.LoggerConfiguration().Enrich.With<LogSanitizer>().WriteTo.Sink(sink).CreateLogger();

        logger.Warning("{Name} {Nested} {Long} {Plain}", "a\r\nb\tc\u001b[31m\u202Ed", new[] { "x\ny" }, new string('z', 5000), "fine");

        var e = Assert.Single(sink.Events);
        Assert.Equal("\"a\\r\\nb\\tc\\u001B[31m\\u202Ed\"", e.Properties["Name"].ToString());
        Assert.Equal("[\"x\\ny\"]", e.Properties["Nested"].ToString());
        var cut = ((ScalarValue)e.Properties["Long"]).Value as string;
        Assert.StartsWith(new string('z', LogSanitizer.MaxLength) + "…[", cut, StringComparison.Ordinal);
        Assert.EndsWith("3976 more characters]", cut, StringComparison.Ordinal);
        Assert.Equal("fine", ((ScalarValue)e.Properties["Plain"]).Value);
    }

    [Theory]
    [InlineData("KnownProxies", "proxy.internal", "Security:ForwardedHeaders:KnownProxies:0")]
    [InlineData("KnownNetworks", "10.0.0.0/99", "Security:ForwardedHeaders:KnownNetworks:0")]
    public void ForwardedHeadersFor_AValueThatIsNoAddress_StopsStartUpNamingTheSetting(string list, string value, string setting)
    {
        var settings = new ForwardedHeadersSettings();
        (list == "KnownProxies" ? settings.KnownProxies : settings.KnownNetworks).Add(value);

        var ex = Assert.Throws<SettingException>(() => SecurityRegistration.ForwardedHeadersFor(settings));

        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardedHeadersFor_Settings_TrustsOnlyWhatIsConfigured()
    {
        var o = SecurityRegistration.ForwardedHeadersFor(new ForwardedHeadersSettings { KnownProxies = ["10.0.0.5"], KnownNetworks = ["10.2.0.0/16"] });

        Assert.Equal([System.Net.IPAddress.Parse("10.0.0.5")], o.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.2.0.0/16")], o.KnownIPNetworks);
    }

    private sealed class ListSink : Serilog.Core.ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }
}

/// <summary>A logger factory that keeps every formatted message.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _lines.Enqueue(formatter(state, exception));
    }
}

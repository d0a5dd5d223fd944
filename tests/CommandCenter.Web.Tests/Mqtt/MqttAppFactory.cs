using System.Globalization;
using System.Text;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Web.Ingestion;
using CommandCenter.Web.Tests.Integration;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Tests.Mqtt;

/// <summary>A [Fact] that is skipped, saying why, only when mosquitto cannot be found.</summary>
public sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (MosquittoBroker.Path is null) Skip = MosquittoBroker.MissingReason;
    }
}

/// <summary>The whole app subscribed to a mosquitto of its own (started on a free port), plus a publisher.</summary>
public sealed class MqttAppFactory : CommandCenterFactory, IAsyncLifetime
{
    public MosquittoBroker Broker { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Mqtt:Host", "127.0.0.1");
        builder.UseSetting("Mqtt:Port", Broker.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Mqtt:ClientId", "cc-test-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("Mqtt:ReconnectMinSeconds", "1");
        builder.UseSetting("Mqtt:ReconnectMaxSeconds", "2");
        builder.UseSetting("Alarms:FoldWindowSeconds", "300"); // as in production: Frigate repeats fold (each test uses its own camera and kind)
    }

    public MqttIngestionStats Stats => Services.GetRequiredService<MqttIngestionStats>();

    public async Task InitializeAsync()
    {
        if (MosquittoBroker.Path is null) return;
        await Broker.StartAsync();
        _ = Server; // start the app
        await Eventually(() => Task.FromResult(Stats.Snapshot().Connected), "the app connects to the broker");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Broker.DisposeAsync();
    }

    /// <summary>Publishes with QoS 1 from a client of its own (connects, publishes each, disconnects).</summary>
    public async Task PublishAsync(params (string Topic, string Payload)[] messages)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Broker.Port).WithClientId("pub-" + Guid.NewGuid().ToString("N")[..8]).Build());
        foreach (var (topic, payload) in messages)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        await client.DisconnectAsync();
    }

    public async Task<T> QueryAsync<T>(string sql, object? args = null)
    {
        await using var c = await Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    /// <summary>Waits for a condition (polling), failing with <paramref name="what"/> after 30 s.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }
}

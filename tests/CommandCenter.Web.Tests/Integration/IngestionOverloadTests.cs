using System.Net;
using System.Net.Http.Json;
using CommandCenter.Data.Ingestion;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>The app with a small write queue, to fill it on purpose.</summary>
public sealed class SmallQueueFactory : CommandCenterFactory
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Ingestion:QueueCapacity", "10");
        builder.UseSetting("Ingestion:RetryAfterSeconds", "3");
    }
}

/// <summary>Overload: a full write queue answers 503 with Retry-After and stores nothing; once it drains, the same batch is accepted.</summary>
public sealed class IngestionOverloadTests(SmallQueueFactory app) : IClassFixture<SmallQueueFactory>
{
    [Fact]
    public async Task PostReadings_WhileTheQueueIsFull_Is503WithRetryAfter_ThenAccepted()
    {
        using var client = app.CreateApiClient();
        var writer = app.Services.GetRequiredService<GroupCommitWriter>();
        var body = new { readings = new[] { new { sensorId = "WL-05", depthCm = 4.5, measuredAt = DateTimeOffset.UtcNow.AddMinutes(-2) } } };
        Assert.True(writer.TryReserve(10)); // the queue is full (as if 10 readings waited for their commit)

        var refused = await client.PostAsJsonAsync("/api/v1/readings", body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        writer.Release(10);
        var accepted = await client.PostAsJsonAsync("/api/v1/readings", body);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var answer = await accepted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
    }
}

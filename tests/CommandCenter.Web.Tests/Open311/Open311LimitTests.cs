using System.Globalization;
using System.Net;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.Security;

namespace CommandCenter.Web.Tests.Open311;

/// <summary>Open311 is rate-limited like the rest of the API (per key), and says so in the spec's error format.</summary>
[Collection(LimitedAppCollection.Name)]
public sealed class Open311LimitTests(LimitedAppFactory app)
{
    [Fact]
    public async Task ApiKey_OverItsLimitPerMinute_Gets429InTheErrorFormat_WithRetryAfter()
    {
        using var client = app.CreateApiClient(CommandCenterFactory.ApiKey);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;

        // A fixed one-minute window may roll over once during the loop: allow for one refill.
        for (var i = 0; i < (2 * LimitedAppFactory.PerKey) + 1 && refused is null; i++)
        {
            var response = await client.GetAsync("/open311/v2/services.json");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }

        Assert.All(statuses.Take(LimitedAppFactory.PerKey), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.NotNull(refused);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        var errors = Open311Schemas.AssertValid("errors", await refused.Content.ReadAsStringAsync());
        Assert.Equal(429, errors[0].GetProperty("code").GetInt32());
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) > 0);
    }
}

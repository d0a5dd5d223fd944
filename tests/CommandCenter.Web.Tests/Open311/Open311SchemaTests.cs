using System.Text.Json;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Tests.Open311;

/// <summary>The validator itself (it must be able to fail), the copies of the schemas, and the step → status rule.</summary>
public sealed class Open311SchemaTests
{
    private const string ValidRequest = """
        [{"service_request_id":"SJ20261130000001","status":"open","service_code":"noise","requested_datetime":"2026-11-30T13:21:50+08:00",
          "expected_datetime":"2026-12-02T13:21:50+08:00","lat":31.2,"long":121.5,"media_url":"https://example.org/a.jpg"}]
        """;

    [Fact]
    public void Validator_AcceptsAValidRequestList()
    {
        Open311Schemas.AssertValid("requests.json", ValidRequest);
    }

    [Theory]
    [InlineData("status", "\"pending\"")] // not open/closed
    [InlineData("requested_datetime", "\"yesterday\"")] // not a date-time
    [InlineData("lat", "\"31.2\"")] // a string, not a number
    [InlineData("media_url", "\"not a url\"")] // not a URI
    [InlineData("service_request_id", "42")] // a number, not a string
    public void Validator_RejectsABrokenField(string field, string value)
    {
        var broken = ValidRequest.Replace($"\"{field}\":", $"\"{field}\":{value},\"was_{field}\":", StringComparison.Ordinal);

        var errors = Open311Schemas.Errors("requests.json", JsonDocument.Parse(broken).RootElement);

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Validator_RejectsARequestWithoutARequiredField()
    {
        var broken = ValidRequest.Replace("\"service_code\":\"noise\",", "", StringComparison.Ordinal);

        Assert.NotEmpty(Open311Schemas.Errors("requests.json", JsonDocument.Parse(broken).RootElement));
        Assert.NotEmpty(Open311Schemas.Errors("errors", JsonDocument.Parse("[{\"code\":\"400\"}]").RootElement));
    }

    [Fact]
    public void Schemas_AreTheStandardsCopies()
    {
        var shared = FindShared();
        if (shared is null)
        {
            return; // a checkout without shared/ beside it: the copies stand alone
        }

        foreach (var name in Open311Schemas.Names)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(shared, name)), File.ReadAllText(Path.Combine(Open311Schemas.Folder, name)));
        }
    }

    [Fact]
    public void StatusOf_StepsOneToFiveAreOpen_SixIsClosed_EveryStepHasNotesInBothLanguages()
    {
        foreach (var step in Enum.GetValues<IncidentStep>())
        {
            var (status, notesEn) = Domain.Incidents.Open311.StatusOf(step, chinese: false);
            var (statusZh, notesZh) = Domain.Incidents.Open311.StatusOf(step, chinese: true);
            Assert.Equal(step == IncidentStep.Closed ? "closed" : "open", status);
            Assert.Equal(status, statusZh);
            Assert.False(string.IsNullOrWhiteSpace(notesEn));
            Assert.False(string.IsNullOrWhiteSpace(notesZh));
            Assert.NotEqual(notesEn, notesZh);
        }
    }

    [Fact]
    public void Query_DefaultsToTheLast90Days_AndRefusesAWiderSpan()
    {
        var now = new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero);

        var byDefault = new Open311Query(null, null, null, null, null).Validate(now);
        var wide = Assert.Throws<CommandCenter.Domain.Validation.InputValidationException>(
            () => new Open311Query(null, null, "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", null).Validate(now));
        var ids = new Open311Query("A, B,A", "not-a-service", "nonsense", null, "weird").Validate(now);

        Assert.Equal(now.AddDays(-90), byDefault.Start);
        Assert.Equal(now, byDefault.End);
        Assert.True(byDefault.Open && byDefault.Closed);
        Assert.Contains("end_date", wide.Errors.Keys);
        Assert.Equal(["A", "B"], ids.Ids); // an id list overrides every other parameter, wrong ones included
    }

    private static string? FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "standards", "open311-georeport-v2");
            if (Directory.Exists(candidate)) return candidate;
        }

        return null;
    }
}

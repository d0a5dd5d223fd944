using System.Net;
using System.Text.Json;
using CommandCenter.Data.Jobs;
using CommandCenter.Data.Security;
using CommandCenter.Jobs.Scheduling;
using CommandCenter.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>GET /api/v1/jobs and POST /api/v1/jobs/{group}/{name}/run on the whole app (persistent Quartz store in its SQLite file).</summary>
[Collection(AppCollection.Name)]
public sealed class JobsApiTests(CommandCenterFactory app)
{
    [Fact]
    public async Task List_AsAdmin_ShowsTheLiveBoardJobsWithTheirSchedulesOnThePersistentStore()
    {
        var callers = await Callers.ForAsync(app);

        using var response = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal("CommandCenter", root.GetProperty("scheduler").GetString());
        Assert.Equal("Sqlite", root.GetProperty("store").GetString());
        Assert.False(root.GetProperty("clustered").GetBoolean());
        var jobs = root.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("group").GetString() + "." + j.GetProperty("name").GetString());
        Assert.Equal("every 00:00:15", jobs["live.live-board-tick"].GetProperty("schedule").GetString());
        Assert.Equal("cron 30 0 * * * ? (Asia/Shanghai)", jobs["live.live-board-resync"].GetProperty("schedule").GetString());
        var resync = jobs["live.live-board-resync"].GetProperty("triggers")[0];
        Assert.Equal("FireAndProceed", resync.GetProperty("misfire").GetString());
        Assert.True(jobs["live.live-board-resync"].GetProperty("nextRunAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task RunNow_AsAdmin_Is202_RunsTheJobOnce_RecordsAndAuditsIt()
    {
        var callers = await Callers.ForAsync(app);
        var listener = app.Services.GetRequiredService<JobRunListener>();
        var ran = new TaskCompletionSource<JobRunRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRecorded(JobRunRecord r)
        {
            if (r.JobName == "live-board-resync" && r.RunBy == Callers.UserNames[Caller.Admin]) ran.TrySetResult(r);
        }

        listener.Recorded += OnRecorded;
        try
        {
            using var response = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/jobs/live/live-board-resync/run");

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("/api/v1/jobs", response.Headers.Location?.OriginalString);
            var run = await ran.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(run.Succeeded, run.Error);
        }
        finally
        {
            listener.Recorded -= OnRecorded;
        }

        var runs = await app.Services.GetRequiredService<JobRunStore>().OfJobAsync("live", "live-board-resync");
        Assert.Contains(runs, r => r.RunBy == Callers.UserNames[Caller.Admin] && r.Succeeded);
        var audit = await app.Services.GetRequiredService<AuditLog>().ListAsync(new AuditFilter(Action: "job.run-now"));
        Assert.Contains(audit, a => a.EntityId == "live.live-board-resync" && a.ActorName == Callers.UserNames[Caller.Admin]);
    }

    [Fact]
    public async Task RunNow_UnknownJobIs404_AndAnOverlongNameIs400NamingIt()
    {
        var callers = await Callers.ForAsync(app);

        using var unknown = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/jobs/live/no-such-job/run");
        using var overlong = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, $"/api/v1/jobs/live/{new string('x', 151)}/run");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, overlong.StatusCode);
        using var problem = JsonDocument.Parse(await overlong.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("name", out _), problem.RootElement.ToString());
    }
}

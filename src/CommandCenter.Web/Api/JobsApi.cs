using CommandCenter.Jobs.Scheduling;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>The Quartz jobs, for Admins: what runs when, how the last run went, and "run now" (audited).</summary>
public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs", ListJobsAsync)
            .RequireAuthorization(Policies.Administer)
            .WithTags("Operations").WithName("ListJobs")
            .WithSummary("Every scheduled job: schedule, next run, last run (start, duration, result), last error; and where the schedule is kept.");
        api.MapPost("/jobs/{group}/{name}/run", RunJobNowAsync)
            .RequireAuthorization(Policies.Administer)
            .WithTags("Operations").WithName("RunJobNow")
            .WithSummary("Runs the job once now, beside its schedule (audited as job.run-now); 202, the run shows in GET /jobs when done.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<JobsOverview>> ListJobsAsync(JobsService jobs, CancellationToken ct) =>
        TypedResults.Ok(await jobs.OverviewAsync(ct));

    /// <summary>400 naming the field for a malformed group or name, 404 for a job that does not exist.</summary>
    public static async Task<Results<Accepted<JobRunRequested>, ProblemHttpResult>> RunJobNowAsync(
        string group, string name, JobsService jobs, HttpContext http, CancellationToken ct)
    {
        var requested = await jobs.RunNowAsync(http.Actor(), group, name, ct);
        return requested is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job",
                detail: "No job has this group and name; GET /api/v1/jobs lists the jobs.")
            : TypedResults.Accepted("/api/v1/jobs", requested);
    }
}

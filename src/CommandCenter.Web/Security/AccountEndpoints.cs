using System.Globalization;
using CommandCenter.Data.Security;
using CommandCenter.Web.Components.Pages.Account;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommandCenter.Web.Security;

/// <summary>Sign-in, sign-out and device enrollment: form posts from the static pages, protected by antiforgery tokens.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async Task<IResult> ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
                HttpContext http, AccountService accounts) =>
            {
                var back = LocalUrl(returnUrl);
                var result = await accounts.SignInAsync(userName, password, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
                if (result.Outcome == SignInOutcome.Throttled)
                {
                    // This client failed too often: 429 with Retry-After, and a page that says when to try again.
                    var seconds = (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    return new RazorComponentResult<SignInRefusedPage>(new Dictionary<string, object?>
                    {
                        [nameof(SignInRefusedPage.RetryAfterSeconds)] = seconds,
                        [nameof(SignInRefusedPage.ReturnUrl)] = back,
                    })
                    {
                        StatusCode = StatusCodes.Status429TooManyRequests,
                    };
                }

                if (result.Outcome != SignInOutcome.Succeeded || result.User is not { } user)
                {
                    // One answer for a wrong password, an unknown and a disabled user.
                    return Results.LocalRedirect($"/login?error=failed&returnUrl={Uri.EscapeDataString(back)}");
                }

                await http.SignOutAsync(Schemes.Cookie);
                http.Response.Cookies.Delete(Schemes.DeviceCookieName);
                var principal = Principals.Create(Schemes.Cookie, Principals.UserKind, user.Id.ToString(CultureInfo.InvariantCulture),
                    user.UserName, user.Role, user.CommunityId, stamp: user.SecurityStamp);
                await http.SignInAsync(Schemes.Cookie, principal, new AuthenticationProperties { IsPersistent = false });
                return Results.LocalRedirect(back);
            })
            .AllowAnonymous()
            .WithTags("Account")
            .ExcludeFromDescription();

        app.MapPost("/account/logout", async (HttpContext http, IAntiforgery antiforgery) =>
            {
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return Results.Problem(statusCode: 400, title: "Missing antiforgery token", detail: "Sign out with the form of a page.");
                }

                await http.SignOutAsync(Schemes.Cookie);
                return Results.LocalRedirect("/login");
            })
            .RequireAuthorization(Policies.Person)
            .WithTags("Account")
            .ExcludeFromDescription();

        app.MapPost("/device/enroll", async ([FromForm] string? code, HttpContext http, DeviceService devices, TimeProvider time) =>
            {
                var enrolled = await devices.EnrollAsync(code, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
                if (enrolled is null)
                {
                    return Results.LocalRedirect("/device/enroll?error=invalid");
                }

                await http.SignOutAsync(Schemes.Cookie);
                http.Response.Cookies.Append(Schemes.DeviceCookieName, enrolled.Value.Token, DeviceAuthenticationHandler.CookieOptionsFor(http.Request, time));
                return Results.LocalRedirect("/");
            })
            .AllowAnonymous()
            .WithTags("Account")
            .ExcludeFromDescription();

        return app;
    }

    /// <summary>
    /// The one check of every return URL (sign-in, language switch): a path of this site, else <c>/</c>. Not
    /// <c>//host</c> nor <c>/\host</c>, and no control character anywhere (browsers drop tabs and newlines, so
    /// <c>/\t/host</c> would become <c>//host</c>) — what <c>LocalRedirect</c> accepts, so it never throws.
    /// </summary>
    public static string LocalUrl(string? url) => IsLocalUrl(url) ? url! : "/";

    public static bool IsLocalUrl(string? url) =>
        url is { Length: > 0 and <= 2048 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}

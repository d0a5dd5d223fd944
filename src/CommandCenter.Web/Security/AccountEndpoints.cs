using System.Globalization;
using CommandCenter.Data.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace CommandCenter.Web.Security;

/// <summary>Sign-in, sign-out and device enrollment: form posts from the static pages, protected by antiforgery tokens.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
                HttpContext http, AccountService accounts) =>
            {
                var result = await accounts.SignInAsync(userName, password, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
                var back = LocalUrl(returnUrl);
                if (result.Outcome != SignInOutcome.Succeeded || result.User is not { } user)
                {
                    var error = result.Outcome == SignInOutcome.LockedOut ? "locked" : "failed";
                    return Results.LocalRedirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");
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

    /// <summary>Only same-site paths: never redirect to another host after sign-in.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}

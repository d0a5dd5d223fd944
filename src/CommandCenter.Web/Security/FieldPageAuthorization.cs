using CommandCenter.Data.Field;
using CommandCenter.Domain.Model;
using Microsoft.AspNetCore.Authorization;

namespace CommandCenter.Web.Security;

/// <summary>
/// The /field page (<see cref="Policies.FieldPage"/>): a signed-in person who is an Operator or Admin, or whose account is
/// linked to a staff record. The link is read through <see cref="StaffAccountService.StaffOfAsync"/> (cached 30 s,
/// cleared by a link change on this node), so linking or unlinking an account needs no new sign-in.
/// </summary>
public sealed class FieldPageRequirement : IAuthorizationRequirement;

public sealed class FieldPageAuthorizationHandler(StaffAccountService staff) : AuthorizationHandler<FieldPageRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, FieldPageRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Kind() != Principals.UserKind) return;
        if (user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin) || await staff.StaffOfAsync(user.ToActor(null)).ConfigureAwait(false) is not null)
        {
            context.Succeed(requirement);
        }
    }
}

using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Demo;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Security;

/// <summary>
/// At start-up: the demo accounts and key (demo on, no users yet); the bootstrap Admin and provisioned keys
/// from configuration; and the refusal to run outside the demo while an Admin keeps a demo password.
/// </summary>
public sealed class SecurityBootstrap(
    AccountService accounts, ApiKeyService keys, IOptions<SecurityOptions> options, IOptions<DemoOptions> demo,
    ILogger<SecurityBootstrap> logger)
{
    private static readonly Actor Startup = Actor.System("start-up");

    public async Task RunAsync(CancellationToken ct)
    {
        var existingKeys = (await keys.ListAsync(ct)).Count;
        if (demo.Value.Enabled && await accounts.CountAsync(ct) == 0)
        {
            foreach (var u in DemoAccounts.Users)
            {
                await accounts.CreateAsync(Startup, u.UserName, u.DisplayName, u.Role, u.CommunityId, u.Password, ct);
            }

            logger.LogInformation("Demo accounts created: {Users} (passwords in the README)", string.Join(", ", DemoAccounts.Users.Select(u => u.UserName)));
        }

        if (demo.Value.Enabled && existingKeys == 0)
        {
            await keys.CreateAsync(Startup, "demo (all scopes)", Scopes.All, null, ct, DemoAccounts.ApiKey);
        }

        foreach (var k in options.Value.BootstrapApiKeys.Where(k => k.Key.Length > 0))
        {
            if (await keys.ValidateAsync(k.Key, ct) is null)
            {
                await keys.CreateAsync(Startup, k.Name, k.Scopes.Count > 0 ? k.Scopes : Scopes.All, k.CommunityId, ct, k.Key);
                logger.LogInformation("Provisioned API key {KeyName} from configuration", k.Name);
            }
        }

        if (options.Value.BootstrapAdmin is { UserName.Length: > 0, Password.Length: > 0 } admin
            && (await accounts.ListAsync(ct)).All(u => u.Role != Roles.Admin))
        {
            await accounts.CreateAsync(Startup, admin.UserName, admin.UserName, Roles.Admin, null, admin.Password, ct);
            logger.LogInformation("Bootstrap Admin {UserName} created from configuration", admin.UserName);
        }

        if (!demo.Value.Enabled)
        {
            var weak = await accounts.AdminsWithPasswordAsync(DemoAccounts.Passwords, ct);
            if (weak.Count > 0)
            {
                throw new SettingException(
                    $"Admin account(s) {string.Join(", ", weak)} still have a demo password while 'Demo:Enabled' is false. " +
                    "Change the password (or disable the account) before running outside the demo.");
            }

            if ((await accounts.ListAsync(ct)).All(u => u.Role != Roles.Admin || !u.IsActive))
            {
                logger.LogWarning("No active Admin exists. Create the first one with '--create-admin <name>' (password from COMMANDCENTER_ADMIN_PASSWORD) or the Security:BootstrapAdmin settings.");
            }
        }
    }
}

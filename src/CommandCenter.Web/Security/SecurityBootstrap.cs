using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Demo;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Security;

/// <summary>
/// At start-up: the demo accounts and key (demo on, no users / keys yet); the bootstrap Admin and provisioned keys
/// from configuration; and the refusal to run outside the demo while an Admin keeps a demo password.
/// <para>
/// Each start runs this again on a database that admins have changed since: a provisioned key revoked on
/// /admin/keys stays revoked, a bootstrap Admin's name taken by a person who is no longer an Admin is left alone, a
/// demo account that cannot be created (e.g. its community is missing) is skipped — each with a warning, never a
/// failed start. Configuration that cannot be used at all (an unknown scope or community, a weak password) stops
/// the start naming the setting.
/// </para>
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
            var created = new List<string>();
            foreach (var u in DemoAccounts.Users)
            {
                try
                {
                    await accounts.CreateAsync(Startup, u.UserName, u.DisplayName, u.Role, u.CommunityId, u.Password, ct);
                    created.Add(u.UserName);
                }
                catch (InputValidationException ex)
                {
                    logger.LogWarning("Demo account {UserName} not created: {Reason}", u.UserName, ex.Message);
                }
            }

            logger.LogInformation("Demo accounts created: {Users} (passwords in the README)", string.Join(", ", created));
        }

        if (demo.Value.Enabled && existingKeys == 0)
        {
            await keys.CreateAsync(Startup, "demo (all scopes)", Scopes.All, null, ct, DemoAccounts.ApiKey);
        }

        for (var i = 0; i < options.Value.BootstrapApiKeys.Count; i++)
        {
            await ProvisionKeyAsync(i, options.Value.BootstrapApiKeys[i], ct);
        }

        if (options.Value.BootstrapAdmin is { UserName.Length: > 0, Password.Length: > 0 } admin
            && (await accounts.ListAsync(ct)).All(u => u.Role != Roles.Admin))
        {
            await CreateBootstrapAdminAsync(admin, ct);
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

    /// <summary>
    /// A key from <c>Security:BootstrapApiKeys:N</c>: created once; found again (active or revoked) on every later start.
    /// A revoked one stays revoked: configuration cannot bring back what an Admin revoked.
    /// </summary>
    private async Task ProvisionKeyAsync(int index, BootstrapApiKey k, CancellationToken ct)
    {
        if (k.Key.Length == 0) return;
        var stored = await keys.FindByPlaintextAsync(k.Key, ct);
        if (stored is { IsRevoked: true })
        {
            logger.LogWarning(
                "Configuration still lists API key {KeyName} (Security:BootstrapApiKeys:{Index}), which was revoked on {RevokedAt} as key {KeyId} '{StoredName}'; " +
                "it stays revoked. Remove it from the configuration.", k.Name, index, stored.RevokedAt, stored.Id, stored.Name);
            return;
        }

        if (stored is not null) return;
        try
        {
            await keys.CreateAsync(Startup, k.Name, k.Scopes.Count > 0 ? k.Scopes : Scopes.All, k.CommunityId, ct, k.Key);
        }
        catch (InputValidationException ex)
        {
            throw new SettingException($"Setting 'Security:BootstrapApiKeys:{index}' ({k.Name}) cannot be provisioned: {ex.Message}", ex);
        }

        logger.LogInformation("Provisioned API key {KeyName} from configuration", k.Name);
    }

    /// <summary>The first Admin from <c>Security:BootstrapAdmin</c>, when no Admin exists; a person of that name who is not (or no longer) an Admin is left alone.</summary>
    private async Task CreateBootstrapAdminAsync(BootstrapAdmin admin, CancellationToken ct)
    {
        if ((await accounts.ListAsync(ct)).FirstOrDefault(u => string.Equals(u.UserName, admin.UserName.Trim(), StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            logger.LogWarning(
                "No Admin exists, but Security:BootstrapAdmin names {UserName}, who exists as a {Role}{Inactive}; not changed. " +
                "Create an Admin with '--create-admin <name>' or name another user in Security:BootstrapAdmin.",
                taken.UserName, taken.Role, taken.IsActive ? "" : " (disabled)");
            return;
        }

        try
        {
            await accounts.CreateAsync(Startup, admin.UserName, admin.UserName, Roles.Admin, null, admin.Password, ct);
        }
        catch (InputValidationException ex)
        {
            throw new SettingException($"Setting 'Security:BootstrapAdmin' cannot create the first Admin: {ex.Message}", ex);
        }

        logger.LogInformation("Bootstrap Admin {UserName} created from configuration", admin.UserName);
    }
}

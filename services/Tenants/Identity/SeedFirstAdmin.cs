using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Features.InviteStaff;
using Msp.Tenants.Persistence;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Identity;

/// <summary>On start: makes sure every role exists and, when no Admin exists yet, creates the first one from
/// <c>MSP_ADMIN_EMAIL</c> / <c>MSP_ADMIN_PASSWORD</c> (defaults: admin@msp.local and a generated password, logged once).
/// Replicas starting at once take turns under a transaction-scoped advisory lock, so the roles and the first Admin are
/// created once.</summary>
public sealed class SeedFirstAdmin(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<SeedFirstAdmin> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll(); // staff rows have no tenant
        var db = scope.ServiceProvider.GetRequiredService<TenantsDb>();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLock})", cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<Role>>();
        foreach (var name in Roles.All.Where(name => !roles.Roles.Any(r => r.Name == name)))
        {
            Check(await roles.CreateAsync(new Role(name)), $"create role {name}");
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            await tx.CommitAsync(cancellationToken);
            return;
        }

        var email = configuration["MSP_ADMIN_EMAIL"] is { Length: > 0 } e ? e : "admin@msp.local";
        var password = configuration["MSP_ADMIN_PASSWORD"];
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = OpaqueToken.New(18);
        }

        var admin = User.Staff(email, "Administrator", clock.GetUtcNow());
        admin.Activated(clock.GetUtcNow());
        Check(await users.CreateAsync(admin, password!), "create the first admin");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "make the first admin an Admin");
        db.PublishOnSave(InviteStaff.Invited(admin, Roles.Admin)); // the other services learn of them as of any staff
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);

        if (generated)
        {
            logger.LogWarning("Created the first Admin {Email} with the generated password {Password}; it is shown only now", email, password);
        }
        else
        {
            logger.LogInformation("Created the first Admin {Email}", email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The advisory lock key of the seeding ("msp-seed" read as a number).</summary>
    private const long SeedLock = 0x6d73702d73656564;

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

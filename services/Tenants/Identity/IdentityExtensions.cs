using Microsoft.AspNetCore.Identity;
using Msp.ServiceDefaults.Identity;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Identity;

public static class IdentityExtensions
{
    /// <summary>ASP.NET Core Identity over the Tenants database; tokens are read as in every service (<see cref="MspAuthentication"/>).</summary>
    public static WebApplicationBuilder AddTenantsIdentity(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddSingleton(auth);
        builder.Services
            .AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = auth.MaxFailedAccessAttempts;
                o.Lockout.DefaultLockoutTimeSpan = auth.LockoutDuration;
            })
            .AddRoles<Role>()
            .AddEntityFrameworkStores<TenantsDb>()
            .AddSignInManager();
        builder.AddMspAuthentication().Authorization
            .AddPolicy(Policies.ManageTenants, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.ManageUsers, p => p.RequireRole(Roles.ClientAdmin, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.FindAndAddRequesters, p => p.RequireRole(Roles.ClientAdmin, Roles.Operator, Roles.Admin, Roles.Technician))
            .AddPolicy(Policies.ManageStaff, p => p.RequireRole(Roles.Admin));
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<Passwords>();
        builder.Services.AddHostedService<SeedFirstAdmin>();
        return builder;
    }
}

/// <summary>Who may do what, by name.</summary>
public static class Policies
{
    /// <summary>Creating and changing client organizations is the provider's account management.</summary>
    public const string ManageTenants = nameof(ManageTenants);

    /// <summary>A client admin manages their own tenant's users; operators and admins manage everyone's.</summary>
    public const string ManageUsers = nameof(ManageUsers);

    /// <summary>Listing a tenant's users and inviting a new one: <see cref="ManageUsers"/>, and technicians for the
    /// tenants they serve (a phone call from someone new becomes their ticket), who may only invite ClientUsers.</summary>
    public const string FindAndAddRequesters = nameof(FindAndAddRequesters);

    /// <summary>Staff and their tenant assignments are the platform owner's.</summary>
    public const string ManageStaff = nameof(ManageStaff);
}

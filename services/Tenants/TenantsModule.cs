using Msp.ServiceDefaults.Hosting;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Features.AcceptInvitation;
using Msp.Tenants.Features.AdmitMailSender;
using Msp.Tenants.Features.AnnounceKnownParties;
using Msp.Tenants.Features.AssignTechnician;
using Msp.Tenants.Features.Auth;
using Msp.Tenants.Features.ChangePassword;
using Msp.Tenants.Features.ChangeProfile;
using Msp.Tenants.Features.ChangeStaffRole;
using Msp.Tenants.Features.CreateTenant;
using Msp.Tenants.Features.DeactivateUser;
using Msp.Tenants.Features.ForgotPassword;
using Msp.Tenants.Features.GetTenant;
using Msp.Tenants.Features.GetUser;
using Msp.Tenants.Features.InviteStaff;
using Msp.Tenants.Features.InviteUser;
using Msp.Tenants.Features.IssuePasswordReset;
using Msp.Tenants.Features.ListStaff;
using Msp.Tenants.Features.ListTenants;
using Msp.Tenants.Features.ListUsers;
using Msp.Tenants.Features.ReactivateTenant;
using Msp.Tenants.Features.ReactivateUser;
using Msp.Tenants.Features.ResendInvitation;
using Msp.Tenants.Features.ResetPassword;
using Msp.Tenants.Features.SuspendTenant;
using Msp.Tenants.Features.UpdateTenant;
using Msp.Tenants.Identity;
using Msp.Tenants.Persistence;

namespace Msp.Tenants;

public static class TenantsModule
{
    public static WebApplicationBuilder AddTenants(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<TenantsDb>();
        builder.Services.AddConstraintFields(TenantsConstraints.Fields);
        builder.AddMessaging<TenantsDb>("tenants", bus =>
        {
            bus.AddConsumer<MailSenderAdmittedConsumer>().Endpoint(e => e.Name = "tenants-mail-sender-admitted");
            bus.AddConsumer<KnownPartiesRequestedConsumer>().Endpoint(e => e.Name = "tenants-known-parties-requested");
        });
        builder.AddTenantsIdentity();
        builder.Services.AddValidatorsFrom<TenantsDb>();
        return builder;
    }

    public static WebApplication MapTenantsApi(this WebApplication app)
    {
        app.UseTenantScope().UseUserCheck<ActiveUserCheck>();
        app.MapFailedMessages("/api/tenants");
        app.MapGroup("/api/tenants")
            .WithTags("Tenants")
            .RequireAuthorization()
            .MapCreateTenant()
            .MapGetTenant()
            .MapListTenants()
            .MapUpdateTenant()
            .MapSuspendTenant()
            .MapReactivateTenant()
            .MapInviteUser()
            .MapListUsers();
        app.MapGroup("/api/staff")
            .WithTags("Staff")
            .RequireAuthorization()
            .MapInviteStaff()
            .MapListStaff()
            .MapAssignTechnician()
            .MapChangeStaffRole();
        app.MapGroup("/api/users")
            .WithTags("Users")
            .RequireAuthorization()
            .MapGetUser()
            .MapDeactivateUser()
            .MapReactivateUser()
            .MapResendInvitation()
            .MapIssuePasswordReset();
        app.MapGroup("/api/auth")
            .WithTags("Sign-in")
            .MapLogin()
            .MapRefresh()
            .MapLogout()
            .MapAcceptInvitation()
            .MapMe()
            .MapChangeProfile()
            .MapChangePassword()
            .MapForgotPassword()
            .MapResetPassword();
        return app;
    }
}

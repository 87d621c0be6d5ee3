using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Mail;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.AdmitMailSender;

/// <summary>Creates the user the mail service admitted from a tenant's e-mail domain (decision 0082): a ClientUser with
/// the id the mail service gave them, no password and no invitation, announced with <c>UserInvited</c> without a token
/// so that every service knows them (the mail service sends nothing for it). They can set a password later through
/// "forgot password" or an invitation an admin sends. An address that is already someone's changes nothing.</summary>
public sealed class MailSenderAdmittedConsumer(TenantsDb db, UserManager<User> users, TenantScope scope, TimeProvider clock, ILogger<MailSenderAdmittedConsumer> logger)
    : IConsumer<MailSenderAdmitted>
{
    public Task Consume(ConsumeContext<MailSenderAdmitted> context)
    {
        // An address is unique across tenants: the check must see every tenant's users, not only the event's.
        scope.AllowAll();
        return db.ProcessOnceAsync(context.Message, "tenants.mail-sender-admitted", async ct =>
        {
            var m = context.Message;
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == m.TenantId, ct);
            if (tenant is null || await users.FindByEmailAsync(m.Email) is not null || await users.FindByIdAsync(m.UserId.ToString()) is not null)
            {
                logger.LogInformation("Mail sender {Email} of tenant {TenantId} is not created: the address or id is taken, or the tenant is unknown", m.Email, m.TenantId);
                return;
            }

            var user = User.OfTenant(m.TenantId, m.Email, m.DisplayName.Length > 200 ? m.DisplayName[..200] : m.DisplayName, clock.GetUtcNow()).WithId(m.UserId);
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                logger.LogWarning("Mail sender {Email} was not created: {Errors}", m.Email, string.Join(" ", created.Errors.Select(e => e.Description)));
                return;
            }

            await users.AddToRoleAsync(user, Roles.ClientUser);
            db.PublishOnSave(new UserInvited
            {
                EventId = EventIds.New(), TenantId = m.TenantId, OccurredAt = user.CreatedAt, UserId = user.Id, Email = user.Email!,
                DisplayName = user.DisplayName, Role = Roles.ClientUser, Language = user.LanguageIn(tenant),
            });
        }, context.CancellationToken);
    }
}

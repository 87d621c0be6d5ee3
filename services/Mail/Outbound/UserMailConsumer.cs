using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.Messaging;

namespace Msp.Mail.Outbound;

/// <summary>Mail about a person's access: the invitation with its link, the password reset link; and the language each
/// user reads mail in.</summary>
public sealed class UserMailConsumer(MailDb db, Recipients recipients, TimeProvider clock)
    : IConsumer<UserInvited>, IConsumer<PasswordResetRequested>, IConsumer<UserProfileChanged>
{
    private const string Name = "mail.user-mail";

    public Task Consume(ConsumeContext<UserInvited> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var language = m.Language ?? (m.TenantId == Provider.TenantId ? "en" : await TenantLanguageAsync(m.TenantId, ct));
        await LanguageAsync(m.UserId, m.TenantId, language, m.OccurredAt, ct);
        if (m.InvitationToken is not { Length: > 0 } token)
        {
            return; // a user made without an invitation (a sender admitted by mail) gets none
        }

        var tenant = m.TenantId == Provider.TenantId ? recipients.Options.SenderName : await recipients.TenantNameAsync(m.TenantId, ct);
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.Invitation, new Recipient(m.Email, language, m.UserId, m.DisplayName), null, new()
        {
            ["tenant"] = tenant,
            ["link"] = recipients.Link(PortalPages.AcceptInvitation(token)),
            ["expiresAt"] = m.ExpiresAt is { } expires ? Recipients.Format(expires, language, "UTC") : "",
        }, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<PasswordResetRequested> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        await LanguageAsync(m.UserId, m.TenantId, m.Language, m.OccurredAt, ct);
        var timeZone = await db.KnownTenants.AsNoTracking().Where(t => t.Id == m.TenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct) ?? "UTC";
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.PasswordReset, new Recipient(m.Email, m.Language, m.UserId, m.DisplayName), null, new()
        {
            ["link"] = recipients.Link(PortalPages.ResetPassword(m.ResetToken)),
            ["expiresAt"] = Recipients.Format(m.ExpiresAt, Notifications.LanguageOrDefault(m.Language), timeZone),
        }, ct);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<UserProfileChanged> context) => db.ProcessOnceAsync(context.Message, Name,
        ct => LanguageAsync(context.Message.UserId, context.Message.TenantId, context.Message.Language, context.Message.OccurredAt, ct), context.CancellationToken);

    private async Task<string> TenantLanguageAsync(Guid tenantId, CancellationToken ct) =>
        Notifications.DefaultLanguageFor(await db.KnownTenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Country).FirstOrDefaultAsync(ct));

    private async Task LanguageAsync(Guid userId, Guid tenantId, string language, DateTimeOffset at, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var reader = await db.Recipients.FirstOrDefaultAsync(r => r.UserId == userId, ct);
        if (reader is null)
        {
            reader = MailRecipient.For(userId, tenantId, now);
            db.Recipients.Add(reader);
        }

        reader.SpeaksIn(language, at, now);
    }
}

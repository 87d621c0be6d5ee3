using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Tenants;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.Messaging;

namespace Msp.Mail.Inbound;

/// <summary>Keeps each tenant's e-mail domains, which decide whose an unknown sender is.</summary>
public sealed class TenantDomainsConsumer(MailDb db, TimeProvider clock) : IConsumer<TenantCreated>, IConsumer<TenantUpdated>
{
    private const string Name = "mail.tenant-domains";

    public Task Consume(ConsumeContext<TenantCreated> context) =>
        db.ProcessOnceAsync(context.Message, Name, ct => ApplyAsync(context.Message.TenantId, context.Message.EmailDomains, 1, ct), context.CancellationToken);

    public Task Consume(ConsumeContext<TenantUpdated> context) =>
        db.ProcessOnceAsync(context.Message, Name, ct => ApplyAsync(context.Message.TenantId, context.Message.EmailDomains, context.Message.Version, ct), context.CancellationToken);

    private async Task ApplyAsync(Guid tenantId, IReadOnlyList<string>? domains, long version, CancellationToken ct)
    {
        var held = await db.TenantDomains.FirstOrDefaultAsync(d => d.TenantId == tenantId, ct);
        if (held is null)
        {
            db.TenantDomains.Add(TenantMailDomains.For(tenantId, domains ?? [], version, clock.GetUtcNow()));
        }
        else
        {
            held.Apply(domains ?? [], version, clock.GetUtcNow());
        }
    }
}

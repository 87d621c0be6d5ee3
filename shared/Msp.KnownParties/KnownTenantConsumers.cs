using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.Data;

namespace Msp.KnownParties;

/// <summary>Records a new tenant. If an update overtook the creation, the newer copy stays.</summary>
public sealed class TenantCreatedConsumer<TDb>(TDb db, TimeProvider clock, ILogger<TenantCreatedConsumer<TDb>> logger)
    : IConsumer<TenantCreated> where TDb : DbContext
{
    public Task Consume(ConsumeContext<TenantCreated> context) =>
        db.ProcessOnceAsync(context.Message, "known-tenants.created", async ct =>
        {
            var message = context.Message;
            if (await db.Set<KnownTenant>().AnyAsync(t => t.Id == message.TenantId, ct))
            {
                logger.LogInformation("Tenant {TenantId} already known from a later update", message.TenantId);
                return;
            }

            db.Set<KnownTenant>().Add(KnownTenant.From(message, clock.GetUtcNow()));
            logger.LogInformation("Recorded tenant {TenantId} ({Slug})", message.TenantId, message.Slug);
        }, context.CancellationToken);
}

/// <summary>Keeps the copy of a tenant current; an older update than the one held changes nothing.</summary>
public sealed class TenantUpdatedConsumer<TDb>(TDb db, TimeProvider clock) : IConsumer<TenantUpdated> where TDb : DbContext
{
    public Task Consume(ConsumeContext<TenantUpdated> context) =>
        db.ProcessOnceAsync(context.Message, "known-tenants.updated", async ct =>
        {
            var message = context.Message;
            var known = await db.Set<KnownTenant>().FindAsync([message.TenantId], ct);
            if (known is null)
            {
                db.Set<KnownTenant>().Add(KnownTenant.From(message, clock.GetUtcNow()));
            }
            else
            {
                known.Apply(message, clock.GetUtcNow());
            }
        }, context.CancellationToken);
}

public static class KnownTenantsExtensions
{
    /// <summary>Keeps a local table of the tenants this service knows (its migrations, and consumers on queues of the
    /// service's own), <see cref="KnownTenantLookup"/> to read it on hot paths, and <see cref="RequestKnownParties{TDb}"/>
    /// to ask the Tenants service for every tenant and user while the table is empty.</summary>
    public static IBusRegistrationConfigurator AddKnownTenants<TDb>(this IBusRegistrationConfigurator bus, string serviceName)
        where TDb : DbContext
    {
        bus.AddSingleton(new MigrationSet([.. Migration.EmbeddedIn(typeof(KnownTenant).Assembly, "0000_known_tenants", "0000_known_tenants_rls")]));
        bus.AddSingleton<KnownTenantLookup>();
        bus.AddConsumer<TenantCreatedConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-known-tenant-created");
        bus.AddConsumer<TenantUpdatedConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-known-tenant-updated");
        bus.AddHostedService(sp => ActivatorUtilities.CreateInstance<RequestKnownParties<TDb>>(sp, serviceName));
        return bus;
    }
}

using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.Data;

namespace Msp.KnownParties;

/// <summary>Keeps <c>known_users</c> from the user events. Each finds the user's row or starts one, so an event
/// that overtakes the invitation is not lost.</summary>
public sealed class KnownUserConsumer<TDb>(TDb db, TimeProvider clock)
    : IConsumer<UserInvited>, IConsumer<UserDeactivated>, IConsumer<TechnicianScopeChanged> where TDb : DbContext
{
    public Task Consume(ConsumeContext<UserInvited> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.invited", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<UserDeactivated> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.deactivated", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<TechnicianScopeChanged> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.scope", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    private Task Apply(IIntegrationEvent e, Guid userId, string consumer, Action<KnownUser, DateTimeOffset> change, CancellationToken ct) =>
        db.ProcessOnceAsync(e, consumer, async token =>
        {
            var now = clock.GetUtcNow();
            var user = await db.Set<KnownUser>().FirstOrDefaultAsync(u => u.Id == userId, token);
            if (user is null)
            {
                user = KnownUser.Stub(userId, e.TenantId, now);
                db.Set<KnownUser>().Add(user);
            }

            change(user, now);
        }, ct);
}

public static class KnownUsersExtensions
{
    /// <summary>Keeps a local table of the users this service knows: its migrations (the table, its row-level security,
    /// the trigger that announces its changes), a consumer on a queue of the service's own, and the listener that hears
    /// of each change as it commits (<see cref="KnownUserCheck{TDb}"/> reads users' states through it).</summary>
    public static IBusRegistrationConfigurator AddKnownUsers<TDb>(this IBusRegistrationConfigurator bus, string serviceName)
        where TDb : DbContext
    {
        bus.AddSingleton(new MigrationSet([.. Migration.EmbeddedIn(typeof(KnownUser).Assembly, "0000_known_users", "0000_known_users_changes")]));
        bus.AddSingleton<KnownUserChanges>();
        bus.AddHostedService(sp => new KnownUserListener(
            ServiceDatabase.ConnectionString(sp.GetRequiredService<IConfiguration>()), sp.GetRequiredService<KnownUserChanges>(),
            sp.GetRequiredService<ILogger<KnownUserListener>>()));
        bus.AddConsumer<KnownUserConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-known-users");
        return bus;
    }
}

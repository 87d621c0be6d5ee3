using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.ServiceDefaults.Messaging;
using Msp.ServiceDefaults.Persistence;

namespace Msp.ServiceDefaults.Identity;

/// <summary>Keeps <c>known_users</c> from the user events. Each finds the user's row or starts one, so an event
/// that overtakes the invitation is not lost.</summary>
public sealed class KnownUserConsumer<TDb>(TDb db, TimeProvider clock)
    : IConsumer<UserInvited>, IConsumer<UserDeactivated>, IConsumer<TechnicianScopeChanged>, IConsumer<UserReactivated>,
      IConsumer<UserProfileChanged>, IConsumer<UserRoleChanged> where TDb : DbContext
{
    public Task Consume(ConsumeContext<UserInvited> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.invited", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<UserDeactivated> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.deactivated", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<TechnicianScopeChanged> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.scope", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<UserReactivated> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.reactivated", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<UserProfileChanged> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.profile", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<UserRoleChanged> context) =>
        Apply(context.Message, context.Message.UserId, "known-users.role", (u, now) => u.Apply(context.Message, now), context.CancellationToken);

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
    /// <summary>The migration that creates <c>known_users</c>: a service whose migrations hold it keeps users' states.</summary>
    public const string KnownUsersTable = "0000_known_users";

    /// <summary>Keeps a local table of the users this service knows, on a queue of the service's own.</summary>
    public static IBusRegistrationConfigurator AddKnownUserConsumers<TDb>(this IBusRegistrationConfigurator bus, string serviceName)
        where TDb : DbContext
    {
        bus.AddConsumer<KnownUserConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-known-users");
        return bus;
    }

    /// <summary>Adds the known-users table, its row-level security and the trigger that announces its changes to the
    /// service's migrations.</summary>
    public static DatabaseMigrations AddKnownUsersTable(this DatabaseMigrations migrations) =>
        migrations.Add(Migration.EmbeddedIn(typeof(KnownUser).Assembly, KnownUsersTable, "0000_known_users_changes", "0000_known_users_lifecycle"));
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.Messaging;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.AnnounceKnownParties;

/// <summary>Answers a service that knows no tenant (decision 0128) by announcing every tenant and user again, through the
/// outbox, to every service: a <see cref="TenantUpdated"/> per tenant at its current version, and per user the events
/// that rebuild their copy: <see cref="UserInvited"/> with the current e-mail, name, role and language and no invitation
/// token (so no mail goes out), and the last profile change, role change, replacement of a technician's tenants,
/// reactivation and deactivation there were, each at its own instant. A copy that is current already holds each of
/// those instants, so it changes nothing, and a new copy refuses exactly the tokens the current ones refuse.
/// <para>Tenants, then users, go out a page at a time, each page in a transaction of its own, claimed in the inbox under
/// the request and the key the page starts after: a request redelivered after a crash halfway announces only the pages
/// not announced yet.</para></summary>
public sealed class KnownPartiesRequestedConsumer(TenantsDb db, TenantScope scope, ILogger<KnownPartiesRequestedConsumer> logger)
    : IConsumer<KnownPartiesRequested>
{
    public const int PageSize = 100;

    public async Task Consume(ConsumeContext<KnownPartiesRequested> context)
    {
        scope.AllowAll(); // every tenant's, not the request's (it names the provider)
        var (request, ct) = (context.Message, context.CancellationToken);
        var correlation = request.EventId.ToString(); // the answer's events name the request in every consumer's logs
        var (tenants, users) = (0, 0);
        for (Guid? after = null; await NextTenantsAsync(after, ct) is { Count: > 0 } page; after = page[^1].Id)
        {
            if (await db.ProcessOnceAsync(request, $"tenants.known-parties.tenants-after-{after ?? Guid.Empty}", _ =>
                {
                    foreach (var tenant in page)
                    {
                        db.PublishOnSave(tenant.Updated(), correlation);
                    }

                    return Task.CompletedTask;
                }, ct))
            {
                tenants += page.Count;
            }
        }

        for (Guid? after = null; await NextUsersAsync(after, ct) is { Count: > 0 } page; after = page[^1].Id)
        {
            if (await db.ProcessOnceAsync(request, $"tenants.known-parties.users-after-{after ?? Guid.Empty}", async token =>
                {
                    foreach (var e in await AnnouncementsAsync(page, token))
                    {
                        db.PublishOnSave(e, correlation);
                    }
                }, ct))
            {
                users += page.Count;
            }
        }

        logger.LogInformation("Announced {Tenants} tenants and {Users} users again, as {Service} asked ({EventId})",
            tenants, users, request.RequestedBy, request.EventId);
    }

    private async Task<List<Tenant>> NextTenantsAsync(Guid? after, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Tenants.AsNoTracking().Where(t => after == null || t.Id.CompareTo(after.Value) > 0).OrderBy(t => t.Id).Take(PageSize).ToListAsync(ct);
    }

    private async Task<List<User>> NextUsersAsync(Guid? after, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Users.AsNoTracking().Where(u => after == null || u.Id.CompareTo(after.Value) > 0).OrderBy(u => u.Id).Take(PageSize).ToListAsync(ct);
    }

    /// <summary>The events that rebuild these users' copies from nothing, and that leave a current copy as it is.</summary>
    private async Task<List<IIntegrationEvent>> AnnouncementsAsync(IReadOnlyList<User> page, CancellationToken ct)
    {
        var ids = page.Select(u => u.Id).ToArray();
        var roles = await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var assigned = (await db.TechnicianTenants.Where(t => ids.Contains(t.UserId)).Select(t => new { t.UserId, t.TenantId }).ToListAsync(ct))
            .ToLookup(t => t.UserId, t => t.TenantId);
        var tenantIds = page.Where(u => u.TenantId is not null).Select(u => u.TenantId!.Value).Distinct().ToArray();
        var tenants = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var events = new List<IIntegrationEvent>(page.Count);
        foreach (var user in page)
        {
            var tenantId = user.TenantId ?? Provider.TenantId;
            var tenant = user.TenantId is { } id ? tenants.GetValueOrDefault(id) : null;
            var role = roles.FirstOrDefault(r => r.UserId == user.Id)?.Name ?? "";
            // The invitation's own instant, with the values of now: a copy holding a later profile or role keeps it.
            events.Add(new UserInvited
            {
                EventId = EventIds.New(), TenantId = tenantId, OccurredAt = user.CreatedAt, UserId = user.Id, Email = user.Email ?? "",
                DisplayName = user.DisplayName, Role = role, Language = user.LanguageIn(tenant),
            });
            if (user.ProfileChangedAt is { } profileChanged)
            {
                events.Add(new UserProfileChanged
                {
                    EventId = EventIds.New(), TenantId = tenantId, OccurredAt = profileChanged, UserId = user.Id, Email = user.Email ?? "",
                    DisplayName = user.DisplayName, Language = user.LanguageIn(tenant), TimeZone = user.TimeZoneIn(tenant),
                });
            }

            if (user.RoleChangedAt is { } roleChanged)
            {
                events.Add(new UserRoleChanged { EventId = EventIds.New(), TenantId = tenantId, OccurredAt = roleChanged, UserId = user.Id, Role = role });
            }

            if (user.ScopeChangedAt is not null || user.AllTenants || assigned[user.Id].Any())
            {
                // A technician's tenants assigned before their instant was kept (none should be: decision 0128 took it
                // from the outbox) are announced at the user's creation, the one instant known to be no later.
                events.Add(new TechnicianScopeChanged
                {
                    EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = user.ScopeChangedAt ?? user.CreatedAt, UserId = user.Id,
                    AllTenants = user.AllTenants, TenantIds = user.AllTenants ? [] : [.. assigned[user.Id].Order()],
                });
            }

            if (user.ReactivatedAt is { } reactivated)
            {
                events.Add(new UserReactivated { EventId = EventIds.New(), TenantId = tenantId, OccurredAt = reactivated, UserId = user.Id });
            }

            if (!user.IsActive)
            {
                events.Add(new UserDeactivated
                {
                    EventId = EventIds.New(), TenantId = tenantId, OccurredAt = user.DeactivatedAt ?? user.CreatedAt, UserId = user.Id,
                });
            }
        }

        return events;
    }
}

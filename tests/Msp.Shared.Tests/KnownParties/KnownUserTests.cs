using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.KnownParties;

namespace Msp.Shared.Tests.KnownParties;

/// <summary>A user's copy takes the Tenants service's re-announcement (decision 0128) without a change when it is current,
/// and is rebuilt from it, the same as the current one, when it holds nothing.</summary>
public sealed class KnownUserTests
{
    private static readonly Guid TenantId = Guid.CreateVersion7();
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Assigned = Created.AddDays(3);
    private static readonly DateTimeOffset RoleChanged = Created.AddDays(4);
    private static readonly DateTimeOffset Deactivated = Created.AddDays(5);
    private static readonly DateTimeOffset Later = Created.AddDays(30);

    /// <summary>The copy as the original events left it: invited, assigned, renamed, promoted, deactivated.</summary>
    private static KnownUser AsItHappened(Guid userId)
    {
        var user = KnownUser.Stub(userId, Provider.TenantId, Created);
        foreach (var e in new IIntegrationEvent[]
        {
            Invited(userId, Created, "Technician", "Before"), Scope(userId, Assigned), Profile(userId, RoleChanged), Role(userId, RoleChanged),
            Deactivation(userId),
        })
        {
            Apply(user, e, e.OccurredAt);
        }

        return user;
    }

    /// <summary>What the Tenants service announces for that user now: the invitation with today's values, and the last
    /// change of each kind at its own instant.</summary>
    private static IIntegrationEvent[] Announced(Guid userId) =>
        [Invited(userId, Created, "Operator", "Now"), Profile(userId, RoleChanged), Role(userId, RoleChanged), Scope(userId, Assigned), Deactivation(userId)];

    [Fact]
    public void TheReAnnouncement_ChangesNothingInACurrentCopy()
    {
        var userId = Guid.CreateVersion7();
        var user = AsItHappened(userId);
        var before = Snapshot(user);

        foreach (var e in Announced(userId))
        {
            Apply(user, e, Later);
        }

        Snapshot(user).ShouldBe(before);
    }

    [Fact]
    public void TheReAnnouncement_InAnyOrder_RebuildsACopyFromNothing_AsTheCurrentOne()
    {
        var userId = Guid.CreateVersion7();
        var current = AsItHappened(userId);
        var announced = Announced(userId);

        foreach (var order in new[] { announced, [.. announced.Reverse()] })
        {
            var rebuilt = KnownUser.Stub(userId, Provider.TenantId, Later);
            foreach (var e in order)
            {
                Apply(rebuilt, e, Later);
            }

            Snapshot(rebuilt, withUpdatedAt: false).ShouldBe(Snapshot(current, withUpdatedAt: false));
        }

        (current.Role, current.IsActive, current.Accepts(RoleChanged.AddMinutes(-1))).ShouldBe(("Operator", false, false));
    }

    [Theory]
    [InlineData(0, false)] // the same invitation again
    [InlineData(-1, false)] // an older one
    [InlineData(1, true)] // a re-sent invitation
    public void AnInvitation_ChangesTheCopy_OnlyWhenNewerThanTheProfileHeld(int days, bool changes)
    {
        var userId = Guid.CreateVersion7();
        var user = KnownUser.Stub(userId, TenantId, Created);
        user.Apply(Invited(userId, Created, "ClientUser", "Held"), Created);
        var before = Snapshot(user);

        user.Apply(Invited(userId, Created.AddDays(days), "ClientUser", "Sent again"), Later);

        (Snapshot(user) != before).ShouldBe(changes);
    }

    private static UserInvited Invited(Guid userId, DateTimeOffset at, string role, string name) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId,
        Email = name == "Before" ? "before@msp.example" : name == "Now" ? "now@msp.example" : $"{name}@client.example", DisplayName = name, Role = role,
    };

    private static TechnicianScopeChanged Scope(Guid userId, DateTimeOffset at) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId, AllTenants = false, TenantIds = [TenantId],
    };

    private static UserProfileChanged Profile(Guid userId, DateTimeOffset at) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId, Email = "now@msp.example", DisplayName = "Now",
        Language = "en", TimeZone = "UTC",
    };

    private static UserRoleChanged Role(Guid userId, DateTimeOffset at) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = at, UserId = userId, Role = "Operator",
    };

    private static UserDeactivated Deactivation(Guid userId) => new()
    {
        EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = Deactivated, UserId = userId,
    };

    private static void Apply(KnownUser user, IIntegrationEvent e, DateTimeOffset now)
    {
        switch (e)
        {
            case UserInvited invited: user.Apply(invited, now); break;
            case TechnicianScopeChanged scope: user.Apply(scope, now); break;
            case UserDeactivated deactivated: user.Apply(deactivated, now); break;
            case UserProfileChanged profile: user.Apply(profile, now); break;
            case UserRoleChanged role: user.Apply(role, now); break;
            default: throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name);
        }
    }

    private static string Snapshot(KnownUser u, bool withUpdatedAt = true) =>
        $"{u.Email}|{u.DisplayName}|{u.Role}|{u.AllTenants}|{string.Join(',', u.AssignedTenants)}|{u.SessionsValidFrom:O}|{u.DeactivatedAt:O}|" +
        $"{u.ReactivatedAt:O}|{u.RoleChangedAt:O}|{u.ProfileAt:O}" + (withUpdatedAt ? $"|{u.UpdatedAt:O}" : "");
}

using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.KnownParties;

namespace Msp.Shared.Tests.KnownParties;

/// <summary>A user's copy takes the Tenants service's re-announcement (decision 0128) without a change when it is current,
/// and is rebuilt from it when it holds nothing: no token issued since the user was made is refused either way.</summary>
public sealed class KnownUserTests
{
    private static readonly Guid TenantId = Guid.CreateVersion7();
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Assigned = Created.AddDays(3);
    private static readonly DateTimeOffset RoleChanged = Created.AddDays(4);
    private static readonly DateTimeOffset Deactivated = Created.AddDays(5);
    private static readonly DateTimeOffset Later = Created.AddDays(30);

    /// <summary>The copy as the original events left it: invited, assigned, promoted, renamed, deactivated.</summary>
    private static KnownUser AsItHappened(Guid userId)
    {
        var user = KnownUser.Stub(userId, Provider.TenantId, Created);
        user.Apply(Invited(userId, Created, "Technician", "Before"), Created);
        user.Apply(Scope(userId, Assigned), Assigned);
        user.Apply(new UserRoleChanged { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = RoleChanged, UserId = userId, Role = "Operator" }, RoleChanged);
        user.Apply(new UserProfileChanged
        {
            EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = RoleChanged, UserId = userId, Email = "now@msp.example", DisplayName = "Now",
            Language = "en", TimeZone = "UTC",
        }, RoleChanged);
        user.Apply(new UserDeactivated { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = Deactivated, UserId = userId }, Deactivated);
        return user;
    }

    /// <summary>What the Tenants service announces for that user now: its current values at the instants it holds.</summary>
    private static IIntegrationEvent[] Announced(Guid userId) =>
    [
        Invited(userId, Created, "Operator", "Now"),
        Scope(userId, Created),
        new UserDeactivated { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = Deactivated, UserId = userId },
    ];

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
    public void TheReAnnouncement_RebuildsACopyFromNothing_RefusingNoTokenIssuedSinceTheUserWasMade()
    {
        var userId = Guid.CreateVersion7();
        var user = KnownUser.Stub(userId, Provider.TenantId, Later);
        var active = KnownUser.Stub(userId, Provider.TenantId, Later);

        foreach (var e in Announced(userId))
        {
            Apply(user, e, Later);
        }

        foreach (var e in Announced(userId).Where(e => e is not UserDeactivated))
        {
            Apply(active, e, Later);
        }

        (user.Email, user.DisplayName, user.Role, user.AllTenants, user.IsActive).ShouldBe(("now@msp.example", "Now", "Operator", false, false));
        user.AssignedTenants.ShouldBe([TenantId]);
        user.Serves(TenantId).ShouldBeFalse("deactivated");
        active.Accepts(Created.AddMinutes(1)).ShouldBeTrue();
        active.Accepts(Later).ShouldBeTrue();
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

    private static void Apply(KnownUser user, IIntegrationEvent e, DateTimeOffset now)
    {
        switch (e)
        {
            case UserInvited invited: user.Apply(invited, now); break;
            case TechnicianScopeChanged scope: user.Apply(scope, now); break;
            case UserDeactivated deactivated: user.Apply(deactivated, now); break;
            default: throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name);
        }
    }

    private static string Snapshot(KnownUser u) =>
        $"{u.Email}|{u.DisplayName}|{u.Role}|{u.AllTenants}|{string.Join(',', u.AssignedTenants)}|{u.SessionsValidFrom:O}|{u.DeactivatedAt:O}|{u.ReactivatedAt:O}|{u.RoleChangedAt:O}|{u.ProfileAt:O}|{u.UpdatedAt:O}";
}

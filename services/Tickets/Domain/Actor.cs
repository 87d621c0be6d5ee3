using System.Security.Claims;
using Msp.ServiceDefaults.Tenancy;

namespace Msp.Tickets.Domain;

/// <summary>Who is acting: a client's user (bound to their tenant), a member of staff, or the system (scheduled jobs).</summary>
public sealed record Actor(Guid Id, string Role, Guid? TenantId)
{
    public static readonly Actor System = new(Guid.Empty, "System", null);

    public bool IsClient => Role is MspRoles.ClientUser or MspRoles.ClientAdmin;

    public bool IsStaff => !IsClient;

    /// <summary>A ClientUser sees the tickets they requested or opened; a ClientAdmin all of their tenant's.</summary>
    public bool SeesOnlyOwnTickets => Role == MspRoles.ClientUser;

    /// <summary>A ClientAdmin and staff see how much time went into a ticket; a ClientUser does not.</summary>
    public bool SeesTimeSpent => Role != MspRoles.ClientUser;

    public static Actor From(ClaimsPrincipal user)
    {
        var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var role = MspRoles.All.Reverse().FirstOrDefault(user.IsInRole) ?? MspRoles.ClientUser;
        var tenant = Guid.TryParse(user.FindFirstValue(MspClaims.TenantId), out var t) ? t : (Guid?)null;
        return new Actor(id, role, tenant);
    }
}

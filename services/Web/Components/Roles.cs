using System.Security.Claims;

namespace Msp.Web.Components;

/// <summary>The platform's roles as the pages ask about them.</summary>
public static class Roles
{
    public const string ClientUser = "ClientUser";
    public const string ClientAdmin = "ClientAdmin";
    public const string Technician = "Technician";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public const string Clients = ClientUser + "," + ClientAdmin;
    public const string Staff = Technician + "," + Operator + "," + Admin;

    public static bool IsClient(this ClaimsPrincipal user) => user.IsInRole(ClientUser) || user.IsInRole(ClientAdmin);

    public static bool IsStaff(this ClaimsPrincipal user) => user.IsInRole(Technician) || user.IsInRole(Operator) || user.IsInRole(Admin);

    public static Guid Id(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public static Guid? TenantId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Localization.WebClaims.TenantId), out var id) ? id : null;

    /// <summary>Where a user starts: clients in the portal, staff in their queue.</summary>
    public static string Landing(this ClaimsPrincipal user) => user.IsClient() ? "/portal" : user.IsStaff() ? "/desk" : "/account/profile";
}

namespace Msp.Tenants.Identity;

/// <summary>Sign-in settings, bound from <c>Msp:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Msp:Auth";

    /// <summary>Access tokens live minutes: deactivation and role changes take effect when they expire or sooner.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public int MaxFailedAccessAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

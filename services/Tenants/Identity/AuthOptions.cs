namespace Msp.Tenants.Identity;

/// <summary>Sign-in settings, bound from <c>Msp:Auth</c>. The access token lifetime (<c>Msp:Auth:AccessTokenLifetime</c>,
/// 15 minutes by default) is read where tokens are validated, in every process.</summary>
public sealed class AuthOptions
{
    public const string Section = "Msp:Auth";

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public int MaxFailedAccessAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a password reset token works (<c>Msp:Auth:PasswordResetLifetime</c>).</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);
}

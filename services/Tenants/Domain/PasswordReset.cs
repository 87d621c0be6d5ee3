namespace Msp.Tenants.Domain;

/// <summary>Lets a user choose a new password once, before it expires, without the old one. Issued at the user's own
/// request (forgot password) or by someone who manages them; a newer one replaces it. Only a hash of the token is
/// stored, as for invitations.</summary>
public sealed class PasswordReset
{
    /// <summary>At the user's own request, at most one new token a minute.</summary>
    public static readonly TimeSpan Throttle = TimeSpan.FromMinutes(1);

    private PasswordReset()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The user's tenant (null for staff): the rows obey row-level security as the users do.</summary>
    public Guid? TenantId { get; private set; }

    public string TokenHash { get; private set; } = "";

    /// <summary>Who asked for it on the user's behalf; null when the user asked themselves.</summary>
    public Guid? RequestedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>PostgreSQL's row version: one token, used twice at once, is used once.</summary>
    public uint RowVersion { get; private set; }

    /// <summary>A new reset for the user. Returns the token to hand out once, never stored as is.</summary>
    public static (PasswordReset Reset, string Token) For(User user, Guid? requestedBy, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = OpaqueToken.New();
        return (new PasswordReset
        {
            Id = Guid.CreateVersion7(now), UserId = user.Id, TenantId = user.TenantId, TokenHash = OpaqueToken.Hash(token),
            RequestedBy = requestedBy, CreatedAt = now, ExpiresAt = now + lifetime,
        }, token);
    }

    public bool CanBeUsed(DateTimeOffset now) => UsedAt is null && RevokedAt is null && now < ExpiresAt;

    public void Use(DateTimeOffset now)
    {
        if (!CanBeUsed(now))
        {
            throw new InvalidOperationException("This reset token was used already, replaced, or has expired.");
        }

        UsedAt = now;
    }

    /// <summary>Stops the token working: a newer one was issued, or the password was reset with another.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

namespace Msp.Tenants.Domain;

/// <summary>Lets an invited user set their password once, before it expires. Only a hash of the token is stored.</summary>
public sealed class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private Invitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string TokenHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    /// <summary>Set when a newer invitation replaced this one.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>PostgreSQL's row version: one token, accepted twice at once, is accepted once.</summary>
    public uint RowVersion { get; private set; }

    public static (Invitation Invitation, string Token) For(Guid userId, DateTimeOffset now)
    {
        var token = OpaqueToken.New();
        return (new Invitation
        {
            Id = Guid.CreateVersion7(now), UserId = userId, TokenHash = OpaqueToken.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime,
        }, token);
    }

    public bool CanBeAccepted(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;

    /// <summary>Stops this invitation working, because a new one was sent.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void Accept(DateTimeOffset now)
    {
        if (!CanBeAccepted(now))
        {
            throw new InvalidOperationException("This invitation was used already or has expired.");
        }

        AcceptedAt = now;
    }
}

/// <summary>One tenant a technician works for.</summary>
public sealed class TechnicianTenant
{
    public Guid UserId { get; init; }

    public Guid TenantId { get; init; }
}

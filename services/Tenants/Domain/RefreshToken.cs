namespace Msp.Tenants.Domain;

/// <summary>One refresh token of a sign-in. Each use rotates it: the token is spent and a successor of the same family is
/// issued. A spent token presented again means it was stolen or replayed, so the whole family is revoked.
/// Only a SHA-256 hash of the token is stored.</summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>Every token descended from one sign-in shares the family of the first.</summary>
    public Guid FamilyId { get; private set; }

    public string TokenHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>PostgreSQL's row version: two refreshes racing with one token cannot both rotate it.</summary>
    public uint RowVersion { get; private set; }

    /// <summary>A new family for a fresh sign-in. Returns the token to hand out once, never stored as is.</summary>
    public static (RefreshToken Token, string Value) StartFamily(Guid userId, DateTimeOffset now, TimeSpan lifetime) =>
        Issue(userId, Guid.CreateVersion7(now), now, lifetime);

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && RevokedAt is null && now < ExpiresAt;

    /// <summary>Spends this token and issues its successor in the same family.</summary>
    public (RefreshToken Token, string Value) Rotate(DateTimeOffset now, TimeSpan lifetime)
    {
        if (!IsUsable(now))
        {
            throw new InvalidOperationException("A spent, revoked or expired refresh token cannot be rotated.");
        }

        UsedAt = now;
        return Issue(UserId, FamilyId, now, lifetime);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    private static (RefreshToken, string) Issue(Guid userId, Guid familyId, DateTimeOffset now, TimeSpan lifetime)
    {
        var value = OpaqueToken.New();
        return (new RefreshToken
        {
            Id = Guid.CreateVersion7(now), UserId = userId, FamilyId = familyId, TokenHash = OpaqueToken.Hash(value),
            CreatedAt = now, ExpiresAt = now + lifetime,
        }, value);
    }
}

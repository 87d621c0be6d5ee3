namespace Msp.Mail.Domain;

/// <summary>A tenant's e-mail domains, from the Tenants service's events: only a newer version replaces them.</summary>
public sealed class TenantMailDomains
{
    private TenantMailDomains()
    {
    }

    public Guid TenantId { get; private set; }

    public string[] Domains { get; private set; } = [];

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static TenantMailDomains For(Guid tenantId, IEnumerable<string> domains, long version, DateTimeOffset now) =>
        new() { TenantId = tenantId, Domains = Normalize(domains), Version = version, UpdatedAt = now };

    public void Apply(IEnumerable<string> domains, long version, DateTimeOffset now)
    {
        if (version <= Version)
        {
            return;
        }

        (Domains, Version, UpdatedAt) = (Normalize(domains), version, now);
    }

    private static string[] Normalize(IEnumerable<string> domains) => [.. domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct()];
}

/// <summary>A sender of a tenant's domain whom this service gave a user id, until the Tenants service announces them.</summary>
public sealed class AdmittedSender
{
    private AdmittedSender()
    {
    }

    public string Email { get; private set; } = "";

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    public DateTimeOffset AdmittedAt { get; private set; }

    public static AdmittedSender For(string email, Guid tenantId, DateTimeOffset now) =>
        new() { Email = email.ToLowerInvariant(), TenantId = tenantId, UserId = Guid.CreateVersion7(now), AdmittedAt = now };
}

/// <summary>A user as a reader of mail: the language they read and the optional notifications they turned off.</summary>
public sealed class MailRecipient
{
    private MailRecipient()
    {
    }

    public Guid UserId { get; private set; }

    /// <summary>Null for the provider's staff.</summary>
    public Guid? TenantId { get; private set; }

    public string? Language { get; private set; }

    public DateTimeOffset? LanguageAt { get; private set; }

    public string[] Muted { get; private set; } = [];

    public DateTimeOffset UpdatedAt { get; private set; }

    public static MailRecipient For(Guid userId, Guid? tenantId, DateTimeOffset now) =>
        new() { UserId = userId, TenantId = tenantId == Msp.Contracts.Provider.TenantId ? null : tenantId, UpdatedAt = now };

    /// <summary>Takes the language unless a newer one is held (events arrive in any order).</summary>
    public void SpeaksIn(string language, DateTimeOffset at, DateTimeOffset now)
    {
        if (LanguageAt >= at)
        {
            return;
        }

        (Language, LanguageAt, UpdatedAt) = (Notifications.LanguageOrDefault(language), at, now);
    }

    /// <summary>Turns off exactly <paramref name="muted"/>; each must be an optional notification (checked by the caller).</summary>
    public void Mute(IEnumerable<string> muted, DateTimeOffset now)
    {
        var names = muted.Distinct().ToArray();
        if (names.Any(n => !Notifications.IsOptional(n)))
        {
            throw new ArgumentException("Only optional notifications can be turned off.", nameof(muted));
        }

        (Muted, UpdatedAt) = ([.. names.Order()], now);
    }

    public bool Receives(string template) => !Muted.Contains(template);
}

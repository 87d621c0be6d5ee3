using Msp.Contracts;
using Msp.Contracts.Tenants;

namespace Msp.Tenants.Domain;

/// <summary>A client organization served by the provider.</summary>
public sealed class Tenant
{
    private Tenant()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Short, unique, lowercase handle; shown upper-case in ticket numbers (<c>ACME-42</c>).</summary>
    public string Slug { get; private set; } = "";

    /// <summary>IANA time zone id, e.g. <c>Europe/Paris</c>.</summary>
    public string TimeZone { get; private set; } = "";

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string Country { get; private set; } = "";

    public Contact? PrimaryContact { get; private set; }

    /// <summary>The tenant's e-mail domains, lowercase: mail from an unknown sender of one of them opens a ticket as a new
    /// requester of this tenant (decision 0082).</summary>
    public string[] EmailDomains { get; private set; } = [];

    public TenantStatus Status { get; private set; }

    /// <summary>Grows by one with every change; carried in events so consumers can order them.</summary>
    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's row version, for optimistic concurrency.</summary>
    public uint RowVersion { get; private set; }

    public static Tenant Create(TenantDetails details, DateTimeOffset now) => new Tenant
    {
        Id = Guid.CreateVersion7(now),
        Status = TenantStatus.Active,
        Version = 1,
        CreatedAt = now,
        UpdatedAt = now,
    }.With(details);

    public void Update(TenantDetails details, DateTimeOffset now)
    {
        With(details);
        Version++;
        UpdatedAt = now;
    }

    /// <summary>Rule: only an active client can be suspended (suspending it twice is a conflict, decision 0116); an
    /// offboarded one is gone for good. Answers the rule broken, or null once suspended.</summary>
    public string? Suspend(DateTimeOffset now)
    {
        if (Status != TenantStatus.Active)
        {
            return Status == TenantStatus.Suspended ? "The client is suspended already." : "An offboarded client cannot be suspended.";
        }

        Status = TenantStatus.Suspended;
        Version++;
        UpdatedAt = now;
        return null;
    }

    /// <summary>Rule: only a suspended client can be reactivated. Answers the rule broken, or null once active.</summary>
    public string? Reactivate(DateTimeOffset now)
    {
        if (Status != TenantStatus.Suspended)
        {
            return Status == TenantStatus.Active ? "The client is active already." : "An offboarded client cannot be reactivated.";
        }

        Status = TenantStatus.Active;
        Version++;
        UpdatedAt = now;
        return null;
    }

    /// <summary>Whether the client's own users may sign in and refresh their sessions.</summary>
    public bool LetsItsUsersIn => Status == TenantStatus.Active;

    public TenantSuspended Suspended() => new() { EventId = EventIds.New(), TenantId = Id, OccurredAt = UpdatedAt, Version = Version };

    public TenantReactivated Reactivated() => new() { EventId = EventIds.New(), TenantId = Id, OccurredAt = UpdatedAt, Version = Version };

    public TenantCreated Created() => new()
    {
        EventId = EventIds.New(), TenantId = Id, OccurredAt = UpdatedAt,
        Name = Name, Slug = Slug, TimeZone = TimeZone, Country = Country, Status = Status.ToString(), EmailDomains = EmailDomains,
    };

    public TenantUpdated Updated() => new()
    {
        EventId = EventIds.New(), TenantId = Id, OccurredAt = UpdatedAt, Version = Version,
        Name = Name, Slug = Slug, TimeZone = TimeZone, Country = Country, Status = Status.ToString(), EmailDomains = EmailDomains,
    };

    private Tenant With(TenantDetails details)
    {
        (Name, Slug, TimeZone, Country, PrimaryContact) =
            (details.Name.Trim(), details.Slug, details.TimeZone, details.Country.ToUpperInvariant(), details.PrimaryContact);
        if (details.EmailDomains is { } domains)
        {
            EmailDomains = [.. domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct().Order()];
        }

        return this;
    }
}

/// <summary>What an operator sets on a tenant, already validated.</summary>
/// <summary><see cref="EmailDomains"/> null leaves them as they are.</summary>
public sealed record TenantDetails(string Name, string Slug, string TimeZone, string Country, Contact? PrimaryContact, IReadOnlyList<string>? EmailDomains = null);

/// <summary>The client's main contact for the provider.</summary>
public sealed record Contact(string Name, string Email, string? Phone);

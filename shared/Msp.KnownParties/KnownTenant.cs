using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Msp.Contracts.Tenants;

using Msp.Data;

namespace Msp.KnownParties;

/// <summary>A downstream service's copy of a tenant, kept current from the Tenants service's events.
/// Events may arrive out of order or twice: a copy only ever moves to a higher version.</summary>
public sealed class KnownTenant
{
    private KnownTenant()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Slug { get; private set; } = "";

    public string Status { get; private set; } = "";

    public string TimeZone { get; private set; } = "";

    public string Country { get; private set; } = "";

    public long Version { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static KnownTenant From(TenantCreated e, DateTimeOffset now) => new()
    {
        Id = e.TenantId, Name = e.Name, Slug = e.Slug, Status = e.Status, TimeZone = e.TimeZone, Country = e.Country,
        Version = 1, RecordedAt = now, UpdatedAt = now,
    };

    public static KnownTenant From(TenantUpdated e, DateTimeOffset now) => new()
    {
        Id = e.TenantId, Name = e.Name, Slug = e.Slug, Status = e.Status, TimeZone = e.TimeZone, Country = e.Country,
        Version = e.Version, RecordedAt = now, UpdatedAt = now,
    };

    /// <summary>Takes the update unless this copy is already as new or newer.</summary>
    public bool Apply(TenantUpdated e, DateTimeOffset now)
    {
        if (e.Version <= Version)
        {
            return false;
        }

        (Name, Slug, Status, TimeZone, Country, Version, UpdatedAt) = (e.Name, e.Slug, e.Status, e.TimeZone, e.Country, e.Version, now);
        return true;
    }
}

public static class KnownTenantModel
{
    /// <summary>Maps <c>known_tenants</c>, filtered to the context's tenant scope (row-level security enforces it too).</summary>
    public static ModelBuilder MapKnownTenants<TDb>(this ModelBuilder model, TDb db) where TDb : DbContext, IScopedDb
    {
        model.Entity<KnownTenant>(e =>
        {
            e.ToTable("known_tenants");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.HasQueryFilter(t => db.Scope.AllTenants || db.Scope.TenantIds.Contains(t.Id));
        });
        return model;
    }
}

/// <summary>Reads a known tenant on hot paths (every ticket create), remembering it for
/// <c>Msp:Tenancy:KnownTenantCacheDuration</c> (1 s): a tenant's suspension takes effect within that second. The
/// caller's scope is checked first, as the query filter would; an unknown tenant is not remembered.</summary>
public sealed class KnownTenantLookup(IMemoryCache cache, IConfiguration configuration)
{
    private readonly TimeSpan cacheFor = configuration.GetValue("Msp:Tenancy:KnownTenantCacheDuration", TimeSpan.FromSeconds(1));

    public async Task<KnownTenant?> FindAsync<TDb>(TDb db, Guid tenantId, CancellationToken ct) where TDb : DbContext, IScopedDb
    {
        if (!db.Scope.Includes(tenantId))
        {
            return null;
        }

        var key = (typeof(KnownTenantLookup), typeof(TDb), tenantId);
        if (cacheFor > TimeSpan.Zero && cache.TryGetValue(key, out KnownTenant? known))
        {
            return known;
        }

        known = await db.Set<KnownTenant>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct);
        if (known is not null && cacheFor > TimeSpan.Zero)
        {
            cache.Set(key, known, cacheFor);
        }

        return known;
    }
}

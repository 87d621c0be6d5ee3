using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Tenants.Domain;
using Msp.Tenants.Persistence;

namespace Msp.Tenants.Features.ListTenants;

public static class ListTenants
{
    public static RouteGroupBuilder MapListTenants(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).WithName(nameof(ListTenants));
        return group;
    }

    /// <summary>Where the previous page ended: tenants are ordered by name, then id.</summary>
    public sealed record TenantKey(string Name, Guid Id);

    /// <summary>Tenants by name, keyset-paged; optionally only one status, or names containing <paramref name="q"/>.</summary>
    public static async Task<Results<Ok<Page<TenantResponse>>, ValidationProblem>> Handle(
        TenantsDb db, CancellationToken ct, int? limit = null, string? cursor = null, TenantStatus? status = null, string? q = null)
    {
        if (!Paging.TryRead<TenantKey>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var query = db.Tenants.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + q.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(t => EF.Functions.ILike(t.Name, pattern));
        }

        if (after is not null)
        {
            query = query.Where(t => EF.Functions.GreaterThan(ValueTuple.Create(t.Name, t.Id), ValueTuple.Create(after.Name, after.Id)));
        }

        var rows = await query.OrderBy(t => t.Name).ThenBy(t => t.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(TenantResponse.From).ToList().ToPage(take, t => new TenantKey(t.Name, t.Id)));
    }
}

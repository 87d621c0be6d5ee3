using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Msp.Data;

/// <summary>One convention for every tenant-owned entity: an entity with a <c>Guid TenantId</c> shows only the rows of
/// the context's tenant scope, as row-level security does in the database. It fails closed: an entity that carries a
/// tenant id but is not the tenant's data (the outbox, which the relay reads for every tenant) says so explicitly.</summary>
public static class TenantFilters
{
    private const string NotFiltered = "Msp:NotTenantFiltered";

    /// <summary>Filters every entity with a <c>Guid TenantId</c> that has no filter of its own to <paramref name="db"/>'s scope.
    /// Call it last in <c>OnModelCreating</c>.</summary>
    public static ModelBuilder FilterByTenantScope<TDb>(this ModelBuilder model, TDb db) where TDb : DbContext, IScopedDb
    {
        var scope = Expression.Property(Expression.Constant(db, typeof(TDb)), nameof(IScopedDb.Scope));
        var all = Expression.Property(scope, nameof(TenantScope.AllTenants));
        var ids = Expression.Property(scope, nameof(TenantScope.TenantIds));
        var contains = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
            .MakeGenericMethod(typeof(Guid));
        foreach (var entity in model.Model.GetEntityTypes().ToList())
        {
            if (entity.FindProperty("TenantId") is not { ClrType: var type } || type != typeof(Guid) || entity.FindAnnotation(NotFiltered) is not null ||
                entity.BaseType is not null)
            {
                continue;
            }

            var row = Expression.Parameter(entity.ClrType, "row");
            var tenant = Expression.Property(row, "TenantId");
            model.Entity(entity.ClrType).HasQueryFilter(Expression.Lambda(Expression.OrElse(all, Expression.Call(contains, ids, tenant)), row));
        }

        return model;
    }

    /// <summary>Marks an entity that carries a tenant id but is read across tenants by design.</summary>
    public static EntityTypeBuilder<T> IsNotTenantFiltered<T>(this EntityTypeBuilder<T> entity) where T : class
    {
        entity.HasAnnotation(NotFiltered, true);
        return entity;
    }
}

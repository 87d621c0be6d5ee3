using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Msp.Data;

/// <summary>Writes new rows of one entity in one statement, <c>INSERT … SELECT … FROM unnest(…)</c> with one array per
/// column, from the mapping EF already has (decision 0020). For the paths every ticket takes (the ticket opener, the
/// batch consumers), where EF's per-row SQL and parameters were the largest part of the services' own CPU; everything
/// else saves through EF. Values the database generates (<c>xmin</c>) are read back into the rows.</summary>
public static class RowInserts
{
    private static readonly ConcurrentDictionary<IEntityType, InsertPlan> Plans = new();

    /// <summary>Inserts <paramref name="rows"/> inside the context's current transaction.</summary>
    public static Task InsertRowsAsync<T>(this DbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class =>
        InsertAsync(db, db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped."), rows, ct);

    /// <summary>Saves the context's changes inside its current transaction: the added rows of each plainly mapped entity
    /// in one statement per table, principals before their dependants, and whatever else changed through EF after them.
    /// A save that deletes anything goes through EF alone, so that no insert can overtake a delete.</summary>
    public static async Task<int> SaveChangesInsertingRowsAsync(this DbContext db, CancellationToken ct)
    {
        var entries = db.ChangeTracker.Entries().ToList(); // detects changes first
        if (entries.Any(e => e.State == EntityState.Deleted))
        {
            return await db.SaveChangesAsync(ct);
        }

        var added = entries
            .Where(e => e.State == EntityState.Added && Plans.GetOrAdd(e.Metadata, InsertPlan.For).Insertable && !e.Properties.Any(p => p.IsTemporary))
            .GroupBy(e => e.Metadata)
            .ToDictionary(g => g.Key, g => g.ToList());
        var inserted = 0;
        foreach (var entity in PrincipalsFirst(added.Keys))
        {
            var group = added[entity];
            await InsertAsync(db, entity, group.ConvertAll(e => e.Entity), ct);
            foreach (var entry in group)
            {
                entry.State = EntityState.Unchanged;
            }

            inserted += group.Count;
        }

        return inserted + await db.SaveChangesAsync(ct);
    }

    /// <summary>The context's interceptors that want to hear of rows written outside <c>SaveChanges</c>.</summary>
    private static IEnumerable<IRowInsertObserver> Observers(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<IRowInsertObserver>() ?? [];

    /// <summary>The entities in an order where every one comes after those its foreign keys point to.</summary>
    private static List<IEntityType> PrincipalsFirst(IEnumerable<IEntityType> entities)
    {
        var left = entities.ToHashSet();
        var ordered = new List<IEntityType>(left.Count);
        while (left.Count > 0)
        {
            var ready = left.FirstOrDefault(e => !e.GetForeignKeys().Any(k => k.PrincipalEntityType != e && left.Contains(k.PrincipalEntityType)))
                ?? throw new NotSupportedException("The added entities' foreign keys form a cycle.");
            ordered.Add(ready);
            left.Remove(ready);
        }

        return ordered;
    }

    private static async Task InsertAsync(DbContext db, IEntityType entity, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Rows are inserted inside the transaction of the change they belong to.");
        var plan = Plans.GetOrAdd(entity, InsertPlan.For);
        if (!plan.Insertable)
        {
            throw new NotSupportedException(plan.WhyNot);
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = plan.Sql;
        foreach (var column in plan.Columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column.ValuesOf(rows) });
        }

        foreach (var observer in Observers(db))
        {
            observer.RowsInserting(db, entity); // e.g. the outbox relay wakes when this transaction commits
        }

        if (plan.Generated.Count == 0)
        {
            await command.ExecuteNonQueryAsync(ct);
            return;
        }

        // Generated values come back with the key of their row, in the database's form on both sides.
        var byKey = new Dictionary<object?[], object>(rows.Count, KeyComparer.Instance);
        foreach (var row in rows)
        {
            byKey.Add([.. plan.Key.Select(k => k.Read(row))], row);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = byKey[[.. plan.Key.Select((_, i) => reader.GetValue(i))]];
            for (var i = 0; i < plan.Generated.Count; i++)
            {
                plan.Generated[i].Write(row, plan.Generated[i].FromProvider(reader.GetValue(plan.Key.Count + i)));
            }
        }
    }

    /// <summary>The statement that inserts an entity's rows, or why its mapping is beyond a row insert.</summary>
    private sealed record InsertPlan(string Sql, IReadOnlyList<Column> Columns, IReadOnlyList<Column> Key, IReadOnlyList<Column> Generated, string? WhyNot)
    {
        public bool Insertable => WhyNot is null;

        public static InsertPlan For(IEntityType entity)
        {
            if (entity.GetComplexProperties().Any() || entity.IsOwned() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            {
                return Refused($"{entity.DisplayName()} has complex or owned parts, which a row insert does not write.");
            }

            if (entity.GetProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            {
                return Refused($"{entity.DisplayName()}.{shadow.Name} is a shadow property, which a row insert cannot read.");
            }

            var properties = entity.GetProperties().ToList();
            var written = properties.Where(p => p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save).Select(p => new Column(p)).ToList();
            var generated = properties
                .Where(p => p.ValueGenerated != ValueGenerated.Never && p.GetBeforeSaveBehavior() != PropertySaveBehavior.Save)
                .Select(p => new Column(p)).ToList();
            var key = entity.FindPrimaryKey()?.Properties.Select(p => new Column(p)).ToList() ?? [];
            if (generated.Count > 0 && (key.Count == 0 || generated.Any(g => key.Any(k => k.Name == g.Name))))
            {
                return Refused($"{entity.DisplayName()} has generated values but no key of its own values to read them back by.");
            }

            var table = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
            var sql = $"INSERT INTO {table} ({string.Join(", ", written.Select(c => $"\"{c.Name}\""))}) " +
                $"SELECT * FROM unnest({string.Join(", ", written.Select((c, i) => $"${i + 1}::{c.StoreType}[]"))})";
            if (generated.Count > 0)
            {
                sql += $" RETURNING {string.Join(", ", key.Concat(generated).Select(c => $"\"{c.Name}\""))}";
            }

            return new InsertPlan(sql, written, key, generated, null);
        }

        private static InsertPlan Refused(string why) => new("", [], [], [], why);
    }

    /// <summary>One mapped column: how to read its value from an entity as the database stores it, and back.</summary>
    private sealed class Column(IProperty property)
    {
        private readonly IClrPropertyGetter getter = property.GetGetter();
        private readonly ValueConverter? converter = property.GetTypeMapping().Converter;

        public string Name { get; } = property.GetColumnName();

        public string StoreType { get; } = property.GetRelationalTypeMapping().StoreType;

        /// <summary>The type of one element of the column's array parameter.</summary>
        private Type ElementType { get; } = ElementTypeOf(property);

        public object? Read(object entity)
        {
            var value = getter.GetClrValue(entity);
            return value is null || converter is null ? value : converter.ConvertToProvider(value);
        }

        public object? FromProvider(object? value) => value is null || converter is null ? value : converter.ConvertFromProvider(value);

        public void Write(object entity, object? value)
        {
            if (property.FieldInfo is { } field)
            {
                field.SetValue(entity, value);
            }
            else
            {
                (property.PropertyInfo ?? throw new NotSupportedException($"{property.Name} has no field or property to set."))
                    .SetValue(entity, value, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance, null, null, null);
            }
        }

        private static Type ElementTypeOf(IProperty property) => property.GetTypeMapping().Converter?.ProviderClrType is { } provider
            ? (provider.IsValueType && property.IsNullable && Nullable.GetUnderlyingType(provider) is null ? typeof(Nullable<>).MakeGenericType(provider) : provider)
            : property.ClrType;

        public Array ValuesOf(IReadOnlyList<object> rows)
        {
            var values = Array.CreateInstance(ElementType, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                values.SetValue(Read(rows[i]), i);
            }

            return values;
        }
    }

    /// <summary>Keys of one or more columns, compared value by value.</summary>
    private sealed class KeyComparer : IEqualityComparer<object?[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(object?[]? x, object?[]? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(object?[] key)
        {
            var hash = new HashCode();
            foreach (var part in key)
            {
                hash.Add(part);
            }

            return hash.ToHashCode();
        }
    }
}

/// <summary>An interceptor that wants to know of rows a row insert writes, which EF's own interceptors never see (the
/// outbox's, which wakes the relay when the transaction commits).</summary>
public interface IRowInsertObserver : Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor
{
    void RowsInserting(DbContext db, IEntityType entity);
}

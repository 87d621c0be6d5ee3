using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Msp.ServiceDefaults.Persistence;

/// <summary>Writes new rows of one entity in one statement, <c>INSERT … SELECT … FROM unnest(…)</c> with one array per
/// column, from the mapping EF already has (decision 0020). For the creation path only, where EF's per-row SQL and
/// parameters were the largest part of the services' own CPU; everything else saves through EF. The rows are not
/// tracked afterwards, and values the database generates (<c>xmin</c>) are read back into them.</summary>
public static class RowInserts
{
    private static readonly ConcurrentDictionary<IEntityType, InsertPlan> Plans = new();

    /// <summary>Inserts <paramref name="rows"/> inside the context's current transaction.</summary>
    public static async Task InsertRowsAsync<T>(this DbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Rows are inserted inside the transaction of the change they belong to.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var plan = Plans.GetOrAdd(entity, InsertPlan.For);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = plan.Sql;
        foreach (var column in plan.Columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column.ValuesOf(rows) });
        }

        if (plan.Generated.Count == 0)
        {
            await command.ExecuteNonQueryAsync(ct);
            return;
        }

        var byKey = new Dictionary<object, T>(rows.Count);
        foreach (var row in rows)
        {
            byKey.Add(plan.Key.Read(row)!, row);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = byKey[plan.Key.FromProvider(reader.GetValue(0))!];
            for (var i = 0; i < plan.Generated.Count; i++)
            {
                plan.Generated[i].Write(row, plan.Generated[i].FromProvider(reader.GetValue(i + 1)));
            }
        }
    }

    private sealed record InsertPlan(string Sql, IReadOnlyList<Column> Columns, Column Key, IReadOnlyList<Column> Generated)
    {
        public static InsertPlan For(IEntityType entity)
        {
            if (entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            {
                throw new NotSupportedException($"{entity.DisplayName()} has complex or owned parts, which a row insert does not write.");
            }

            var properties = entity.GetProperties().ToList();
            var written = properties.Where(p => p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save).Select(Column.Of).ToList();
            var generated = properties
                .Where(p => p.ValueGenerated != ValueGenerated.Never && p.GetBeforeSaveBehavior() != PropertySaveBehavior.Save)
                .Select(Column.Of).ToList();
            var key = entity.FindPrimaryKey()?.Properties is [var single] ? Column.Of(single) : null;
            if (generated.Count > 0 && key is null)
            {
                throw new NotSupportedException($"{entity.DisplayName()} has generated values but no single-column key to read them back by.");
            }

            var table = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
            var sql = $"INSERT INTO {table} ({string.Join(", ", written.Select(c => $"\"{c.Name}\""))}) " +
                $"SELECT * FROM unnest({string.Join(", ", written.Select((c, i) => $"${i + 1}::{c.StoreType}[]"))})";
            if (generated.Count > 0)
            {
                sql += $" RETURNING {string.Join(", ", generated.Prepend(key!).Select(c => $"\"{c.Name}\""))}";
            }

            return new InsertPlan(sql, written, key!, generated);
        }
    }

    /// <summary>One mapped column: how to read its value from an entity as the database stores it, and back.</summary>
    private sealed class Column(IProperty property)
    {
        private readonly IClrPropertyGetter getter = property.GetGetter();
        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter = property.GetTypeMapping().Converter;

        public string Name { get; } = property.GetColumnName();

        public string StoreType { get; } = property.GetRelationalTypeMapping().StoreType;

        /// <summary>The type of one element of the column's array parameter.</summary>
        private Type ElementType { get; } = property.GetTypeMapping().Converter?.ProviderClrType is { } provider
            ? (provider.IsValueType && property.IsNullable && Nullable.GetUnderlyingType(provider) is null ? typeof(Nullable<>).MakeGenericType(provider) : provider)
            : property.ClrType;

        public static Column Of(IProperty property) => property.IsShadowProperty()
            ? throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow property, which a row insert cannot read.")
            : new Column(property);

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

        public Array ValuesOf<T>(IReadOnlyList<T> rows) where T : class
        {
            var values = Array.CreateInstance(ElementType, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                values.SetValue(Read(rows[i]), i);
            }

            return values;
        }
    }
}

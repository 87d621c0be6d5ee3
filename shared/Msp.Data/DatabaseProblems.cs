using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msp.ServiceDefaults.Hosting;
using Npgsql;

namespace Msp.Data;

/// <summary>A constraint of the service's database and the request field it guards, where the convention of
/// <see cref="DatabaseProblems"/> would name the wrong one (<c>ux_users_normalized_user_name</c> guards <c>email</c>).
/// Declared by each service beside its migrations.</summary>
public sealed record ConstraintField(string Constraint, string Field, string? Message = null);

/// <summary>What a caller is told when the database refuses a write: the one place that maps database errors to
/// problems. A write that raced another (a row version that moved, a serialization failure, a deadlock) answers 409;
/// a unique violation 409 naming the field; a foreign-key violation 400 naming the field (or 409 when the row is still
/// referenced); a missing value or a failed check 400 naming the field. The field comes from
/// <see cref="ConstraintField"/> when the service declares one, else from the constraint's name as PostgreSQL names
/// constraints (<c>{table}_{column}_key</c>, <c>_fkey</c>, <c>_check</c>; <c>{table}_pkey</c> is the <c>id</c>).
/// Handlers that know better (a retry that should replay, a conflict with a better message) catch first.</summary>
public sealed class DatabaseProblems(IEnumerable<ConstraintField> fields, ILogger<DatabaseProblems> logger) : IExceptionProblems
{
    private readonly Dictionary<string, ConstraintField> declared = fields.ToDictionary(f => f.Constraint, StringComparer.Ordinal);

    public ProblemDetails? ToProblem(Exception exception)
    {
        if (exception is DbUpdateConcurrencyException)
        {
            return Concurrent();
        }

        if (Postgres(exception) is not { } pg)
        {
            return null;
        }

        var field = FieldOf(pg);
        var message = pg.ConstraintName is { } c && declared.TryGetValue(c, out var known) ? known.Message : null;
        switch (pg.SqlState)
        {
            case PostgresErrorCodes.UniqueViolation:
                return Problem(StatusCodes.Status409Conflict, "Conflict", field, message ?? $"Another one has this {field} already.");
            case PostgresErrorCodes.ForeignKeyViolation when pg.MessageText.StartsWith("update or delete", StringComparison.Ordinal):
                return Problem(StatusCodes.Status409Conflict, "Conflict", field, message ?? "Others still refer to it; it cannot be removed.");
            case PostgresErrorCodes.ForeignKeyViolation:
                return Problem(StatusCodes.Status400BadRequest, Validation, field, message ?? $"No such {field}.");
            case PostgresErrorCodes.NotNullViolation:
                return Problem(StatusCodes.Status400BadRequest, Validation, field, message ?? $"The {field} is required.");
            case PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ExclusionViolation:
                return Problem(StatusCodes.Status400BadRequest, Validation, field, message ?? $"The {field} is not allowed.");
            case PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable:
                return Concurrent();
            case { } state when state.StartsWith("22", StringComparison.Ordinal):
                // Data the database cannot hold (a value out of range, text it cannot store). The edge should have refused
                // it with the field's name; say so in the log, and still answer the caller's mistake as one.
                logger.LogWarning("The database refused a value ({SqlState}: {Message}); the request's validation let it through", state, pg.MessageText);
                return Problem(StatusCodes.Status400BadRequest, Validation, pg.ColumnName is { } column ? Camel(column) : "body",
                    "A value is outside what can be stored.");
            default:
                return null;
        }
    }

    private static PostgresException? Postgres(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg;
            }
        }

        return null;
    }

    private string FieldOf(PostgresException pg)
    {
        if (pg.ConstraintName is { } constraint && declared.TryGetValue(constraint, out var known))
        {
            return known.Field;
        }

        if (pg.SqlState == PostgresErrorCodes.NotNullViolation && pg.ColumnName is { } column)
        {
            return Camel(column);
        }

        return pg.ConstraintName is { } name ? FieldOfConstraint(name, pg.TableName) : "body";
    }

    /// <summary>The field a constraint guards by PostgreSQL's naming (and ours: <c>ux_{table}_{column}</c>):
    /// <c>ticket_queues_name_key</c> → <c>name</c>, <c>tickets_category_fkey</c> → <c>category</c>, <c>x_pkey</c> → <c>id</c>.</summary>
    public static string FieldOfConstraint(string constraint, string? table)
    {
        var name = constraint;
        foreach (var prefix in new[] { "ux_", "uq_", "ix_", "fk_", "pk_", "ck_" })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                name = name[prefix.Length..];
                break;
            }
        }

        if (name.EndsWith("_pkey", StringComparison.Ordinal) || name.StartsWith("pkey", StringComparison.Ordinal))
        {
            return "id";
        }

        if (table is { Length: > 0 } && name.StartsWith(table + "_", StringComparison.Ordinal))
        {
            name = name[(table.Length + 1)..];
        }

        foreach (var suffix in new[] { "_fkey", "_key", "_check", "_excl", "_idx" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        return name.Length == 0 ? "id" : Camel(name);
    }

    private static string Camel(string snake)
    {
        var parts = snake.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? snake : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private const string Validation = "One or more validation errors occurred.";

    private static ProblemDetails Concurrent() => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Concurrent change",
        Detail = "The resource was changed by someone else at the same time; read it again and retry.",
    };

    private static ProblemDetails Problem(int status, string title, string field, string message) => new()
    {
        Status = status,
        Title = title,
        Detail = message,
        Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
    };
}

public static class ConstraintFieldsExtensions
{
    /// <summary>Names the request fields some of the service's constraints guard, for <see cref="DatabaseProblems"/>.</summary>
    public static IServiceCollection AddConstraintFields(this IServiceCollection services, params ConstraintField[] fields)
    {
        foreach (var field in fields)
        {
            services.AddSingleton(field);
        }

        return services;
    }
}

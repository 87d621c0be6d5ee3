using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Msp.Data;

public static class DbErrors
{
    /// <summary>Whether saving failed on the named unique index (PostgreSQL 23505), through EF or a statement of our own.</summary>
    public static bool IsUniqueViolation(this Exception e, string constraint) =>
        (e as PostgresException ?? (e as DbUpdateException)?.InnerException) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && pg.ConstraintName == constraint;
}

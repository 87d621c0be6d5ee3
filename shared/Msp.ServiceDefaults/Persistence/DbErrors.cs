using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Msp.ServiceDefaults.Persistence;

public static class DbErrors
{
    /// <summary>Whether saving failed on the named unique index (PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(this DbUpdateException e, string constraint) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg && pg.ConstraintName == constraint;
}

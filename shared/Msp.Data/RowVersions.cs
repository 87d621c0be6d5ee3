using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Msp.Data;

public static class RowVersions
{
    /// <summary>Optimistic concurrency on PostgreSQL's <c>xmin</c> system column: no column of our own to maintain.</summary>
    public static PropertyBuilder<uint> IsXminRowVersion(this PropertyBuilder<uint> property) =>
        property.HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Msp.Data;

/// <summary>Turns off the savepoint EF Core wraps around a <c>SaveChanges</c> inside a transaction of ours: two round
/// trips a save (<c>SAVEPOINT</c>, <c>RELEASE</c>) for a rescue no code here uses. After a failed save our units of work
/// never carry on in the same transaction: they roll it back (or dispose it) and answer or retry from the start.</summary>
public sealed class NoAutoSavepoints : SaveChangesInterceptor
{
    public static readonly NoAutoSavepoints Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Disable(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Disable(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Disable(DbContext? context)
    {
        if (context is not null)
        {
            context.Database.AutoSavepointsEnabled = false;
        }
    }
}

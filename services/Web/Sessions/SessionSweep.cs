using Npgsql;
using NpgsqlTypes;

namespace Msp.Web.Sessions;

/// <summary>Deletes sessions that expired (the browser went away without signing out) once an hour.</summary>
public sealed class SessionSweep(NpgsqlDataSource data, TimeProvider clock, ILogger<SessionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var command = data.CreateCommand("DELETE FROM sessions WHERE expires_at <= $1");
                command.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                var swept = await command.ExecuteNonQueryAsync(stoppingToken);
                if (swept > 0)
                {
                    logger.LogInformation("Swept {Count} expired sessions", swept);
                }
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning("Sweeping expired sessions failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

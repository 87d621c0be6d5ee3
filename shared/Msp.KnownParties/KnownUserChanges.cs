using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

using Msp.Data;

namespace Msp.KnownParties;

/// <summary>Whether this process hears of every change to <c>known_users</c> as it commits, and a generation that moves
/// on with each one. A user's state read under one generation stays good while the generation holds; while nothing is
/// heard (the listener not yet or no longer connected) it is only good for the short fallback cache (decision 0018).</summary>
public sealed class KnownUserChanges
{
    private long generation;
    private volatile bool listening;

    /// <summary>Moves on whenever a change is heard, and whenever hearing starts or stops (changes may have been missed).</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool Listening => listening;

    public void Changed() => Interlocked.Increment(ref generation);

    public void Heard()
    {
        listening = true;
        Changed();
    }

    public void Lost()
    {
        listening = false;
        Changed();
    }
}

/// <summary>Holds one connection of the service's application role that listens on <c>msp_known_users</c>, which a
/// trigger on <c>known_users</c> notifies on commit (<c>0000_known_users_changes.sql</c>). It reconnects after a second
/// when the connection drops; keepalives notice a silent drop.</summary>
public sealed class KnownUserListener(string connectionString, KnownUserChanges changes, ILogger<KnownUserListener> logger) : BackgroundService
{
    public const string Channel = "msp_known_users";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10, Enlist = false };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                connection.Notification += (_, _) => changes.Changed();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                changes.Heard();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                changes.Lost();
                logger.LogWarning(e, "Not hearing of user changes; users' states are kept only briefly until the listener reconnects");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        changes.Lost();
    }
}

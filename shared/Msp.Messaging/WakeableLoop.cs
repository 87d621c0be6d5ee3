using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Msp.Data;

namespace Msp.Messaging;

/// <summary>Wakes a background loop as soon as there may be work for it, rather than at its next poll. Polling stays
/// as the safety net (other replicas, missed signals).</summary>
public class WakeSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up covers every commit before it.
            }
        }
    }

    /// <summary>True when woken, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}

/// <summary>A background loop that works in rounds: each round says how long to wait for its <see cref="WakeSignal"/>
/// before the next one (zero: at once). A failing round is logged and retried after a growing backoff (up to 10 s),
/// so a database or broker outage neither kills the loop nor floods the log.</summary>
public abstract class WakeableLoop(WakeSignal signal, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    /// <summary>What the loop does, for its log line when a round fails.</summary>
    protected abstract string Name { get; }

    /// <summary>One round of work; answers how long to wait before the next round unless woken.</summary>
    protected abstract Task<TimeSpan> RoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = await RoundAsync(stoppingToken);
                failures = 0;
                if (wait > TimeSpan.Zero)
                {
                    await signal.WaitAsync(wait, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(failures, 7))));
                Logger.LogWarning(ex, "{Loop} failed; retrying in {Backoff}", Name, backoff);
                await Task.Delay(backoff, Clock, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}

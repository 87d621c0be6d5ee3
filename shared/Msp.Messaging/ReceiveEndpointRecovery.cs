using System.Collections.Concurrent;
using System.Net.Sockets;
using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Msp.Messaging;

/// <summary>Brings a receive endpoint back as soon as the broker answers again after an outage. MassTransit retries a
/// lost receive transport with a backoff that grows to 30 s and is never reset for the life of the process, so a consumer
/// that had lost its connection a few times came back up to 30 s after the broker did (Billing's did, decision 0072).
/// This watches the endpoints that faulted, probes the broker's port every half second, and once it accepts connections
/// restarts each faulted endpoint (stop, start: what MassTransit's kill switch does), which starts its transport afresh
/// and connects at once.</summary>
public sealed class ReceiveEndpointRecovery(IBus bus, Uri broker, TimeProvider clock, ILogger<ReceiveEndpointRecovery> logger)
    : BackgroundService, IReceiveEndpointObserver
{
    /// <summary>How often the broker is probed while an endpoint is down.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<Uri, (ReceiveEndpoint Endpoint, DateTimeOffset Since)> down = new();

    public Task Ready(ReceiveEndpointReady ready)
    {
        down.TryRemove(ready.InputAddress, out _);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        if (faulted.ReceiveEndpoint is ReceiveEndpoint endpoint)
        {
            down.TryAdd(faulted.InputAddress, (endpoint, clock.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    /// <summary>Registered before MassTransit's own hosted service, so it observes the endpoints from their start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        bus.ConnectReceiveEndpointObserver(this);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProbeInterval, clock, stoppingToken);
                if (!down.IsEmpty && await BrokerAnswersAsync(stoppingToken))
                {
                    await RestartAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Restarting the receive endpoints that lost the broker failed; trying again");
            }
        }
    }

    private async Task RestartAsync(CancellationToken ct)
    {
        foreach (var (address, (endpoint, since)) in down.ToArray())
        {
            // A moment for MassTransit's own first retry, which often succeeds on its own.
            if (clock.GetUtcNow() - since < ProbeInterval || !down.TryRemove(address, out _))
            {
                continue;
            }

            logger.LogWarning("Receive endpoint {InputAddress} lost the broker {Since}; the broker answers again, so it is restarted now",
                address, since);
            await endpoint.Stop(ct);
            endpoint.Start(ct);
        }
    }

    private async Task<bool> BrokerAnswersAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeInterval);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(broker.Host, broker.Port > 0 ? broker.Port : 5672, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

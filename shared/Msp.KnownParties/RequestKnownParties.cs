using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Data;
using Msp.Messaging;

namespace Msp.KnownParties;

/// <summary>Asks the Tenants service, once per start, to announce every tenant and user again when this service knows no
/// tenant at all: it joined a running platform late, or its database was restored or emptied, and so never heard of the
/// tenants and users made before (decision 0128). It asks only once its migrations have run (the host has started) and
/// its bus is up, so that its queues are bound before the answer is published; the request goes through the outbox, so
/// a broker that is briefly down delays it and loses nothing.</summary>
public sealed class RequestKnownParties<TDb>(
    string serviceName,
    IServiceScopeFactory scopes,
    IBusControl bus,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<RequestKnownParties<TDb>> logger) : BackgroundService where TDb : DbContext
{
    private static readonly TimeSpan BusWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue<bool>("Msp:MigrateOnly") || !await StartedAsync(stoppingToken))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RequestIfNoneKnownAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not check the known tenants; trying again in {Delay}", RetryAfter);
            }

            try
            {
                await Task.Delay(RetryAfter, stoppingToken); // wall-clock time, whatever clock the business runs on
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RequestIfNoneKnownAsync(CancellationToken ct)
    {
        while (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, BusWait).WaitAsync(ct) != BusHealthStatus.Healthy)
        {
            logger.LogInformation("The bus is not up yet; the known tenants are checked once it is");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().AllowAll(); // the table of every tenant, not one's
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        if (await db.Set<KnownTenant>().AnyAsync(ct))
        {
            return;
        }

        var request = new KnownPartiesRequested
        {
            EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = clock.GetUtcNow(), RequestedBy = serviceName,
        };
        db.PublishOnSave(request);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("No tenant known yet: asked the Tenants service to announce every tenant and user ({EventId})", request.EventId);
    }

    /// <summary>Waits until every hosted service has started, migrations included; false when the host stops first.</summary>
    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}

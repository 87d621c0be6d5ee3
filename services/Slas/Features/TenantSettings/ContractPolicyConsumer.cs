using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts.Billing;
using Msp.Messaging;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.TenantSettings;

/// <summary>A contract that names an SLA policy puts its tenant on that policy; when that contract ends, the tenant goes
/// back to the default policy (unless an operator or another contract set the policy since).</summary>
public sealed class ContractPolicyConsumer(SlasDb db, TimeProvider clock, ILogger<ContractPolicyConsumer> logger)
    : IConsumer<ContractActivated>, IConsumer<ContractEnded>
{
    public Task Consume(ConsumeContext<ContractActivated> context) =>
        db.ProcessOnceAsync(context.Message, "slas.contract-policy", async ct =>
        {
            var m = context.Message;
            if (m.SlaPolicyId is not { } policyId)
            {
                return;
            }

            if (!await db.Policies.AnyAsync(p => p.Id == policyId, ct))
            {
                logger.LogWarning("Contract {ContractId} names SLA policy {PolicyId}, which does not exist; the tenant keeps its policy", m.ContractId, policyId);
                return;
            }

            var setting = await SettingAsync(m.TenantId, ct);
            setting.Set(policyId, setting.CalendarId, TenantSlaSetting.ContractSource(m.ContractId), clock.GetUtcNow());
        }, context.CancellationToken);

    public Task Consume(ConsumeContext<ContractEnded> context) =>
        db.ProcessOnceAsync(context.Message, "slas.contract-policy", async ct =>
        {
            var m = context.Message;
            var setting = await db.TenantSettings.FirstOrDefaultAsync(s => s.TenantId == m.TenantId, ct);
            if (setting?.Source == TenantSlaSetting.ContractSource(m.ContractId))
            {
                setting.Set(null, setting.CalendarId, "Default", clock.GetUtcNow());
            }
        }, context.CancellationToken);

    private async Task<TenantSlaSetting> SettingAsync(Guid tenantId, CancellationToken ct)
    {
        var setting = await db.TenantSettings.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        if (setting is null)
        {
            setting = TenantSlaSetting.For(tenantId);
            db.TenantSettings.Add(setting);
        }

        return setting;
    }
}

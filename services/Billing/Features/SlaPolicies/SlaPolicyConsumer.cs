using MassTransit;
using Microsoft.EntityFrameworkCore;
using Msp.Billing.Domain;
using Msp.Billing.Persistence;
using Msp.Contracts.Slas;
using Msp.Messaging;

namespace Msp.Billing.Features.SlaPolicies;

/// <summary>Keeps Billing's copy of the provider's SLA policies from the Slas service's events, each once (inbox),
/// whatever order they arrive in (<see cref="SlaPolicy"/>).</summary>
public sealed class SlaPolicyConsumer(BillingDb db) : IConsumer<SlaPolicyCreated>, IConsumer<SlaPolicyChanged>, IConsumer<SlaPolicyDeleted>
{
    private const string Name = "billing.sla-policies";

    public Task Consume(ConsumeContext<SlaPolicyCreated> context) =>
        db.ProcessOnceAsync(context.Message, Name, ct => NamedAsync(context.Message.PolicyId, context.Message.Name, context.Message.OccurredAt, ct),
            context.CancellationToken);

    public Task Consume(ConsumeContext<SlaPolicyChanged> context) =>
        db.ProcessOnceAsync(context.Message, Name, ct => NamedAsync(context.Message.PolicyId, context.Message.Name, context.Message.OccurredAt, ct),
            context.CancellationToken);

    public Task Consume(ConsumeContext<SlaPolicyDeleted> context) =>
        db.ProcessOnceAsync(context.Message, Name, async ct =>
        {
            var m = context.Message;
            var policy = await LockedAsync(m.PolicyId, ct);
            if (policy is null)
            {
                policy = SlaPolicy.Heard(m.PolicyId, "", m.OccurredAt);
                db.SlaPolicies.Add(policy);
            }

            policy.Delete(m.OccurredAt);
        }, context.CancellationToken);

    private async Task NamedAsync(Guid id, string name, DateTimeOffset at, CancellationToken ct)
    {
        if (await LockedAsync(id, ct) is { } policy)
        {
            policy.Named(name, at);
        }
        else
        {
            db.SlaPolicies.Add(SlaPolicy.Heard(id, name, at));
        }
    }

    /// <summary>The policy's row, locked until the inbox's transaction ends, so that two events of one policy take turns.</summary>
    private async Task<SlaPolicy?> LockedAsync(Guid id, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM sla_policies WHERE id = {id} FOR UPDATE", ct);
        return await db.SlaPolicies.FirstOrDefaultAsync(p => p.Id == id, ct);
    }
}

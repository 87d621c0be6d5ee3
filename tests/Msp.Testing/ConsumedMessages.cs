using System.Collections.Concurrent;
using MassTransit;
using Msp.Contracts;

namespace Msp.Testing;

/// <summary>Counts how often the host's consumers finished each event, so a test can wait for exactly the
/// deliveries it caused instead of guessing with a delay.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> counts = new();

    public int Of(Guid eventId) => counts.GetValueOrDefault(eventId);

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IIntegrationEvent e)
        {
            counts.AddOrUpdate(e.EventId, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

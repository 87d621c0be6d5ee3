using System.Threading.Channels;

namespace Msp.Web.Live;

/// <summary>A ticket changed: which one, and whose it is; or (<see cref="ScopeOf"/> set, no ticket) a user's access
/// changed, which ends that user's streams. All that a browser is ever told is a ticket's id, and only when the ticket
/// is within what the user may see (<see cref="LiveEndpoints"/>).</summary>
public readonly record struct TicketChange(Guid TenantId, Guid TicketId, Guid? ScopeOf = null);

/// <summary>Hands each ticket change this process hears of to every live page it serves. Each subscriber has a bounded
/// buffer of its own; one that falls far behind loses its oldest changes rather than slowing the others (its page
/// refreshes anyway on the next one).</summary>
public sealed class LiveFeed
{
    private const int BufferPerSubscriber = 256;
    private readonly Lock gate = new();
    private volatile Channel<TicketChange>[] channels = [];

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<TicketChange>(new BoundedChannelOptions(BufferPerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (gate)
        {
            channels = [.. channels, channel];
        }

        return new Subscription(this, channel);
    }

    public void Publish(TicketChange change)
    {
        foreach (var channel in channels)
        {
            channel.Writer.TryWrite(change);
        }
    }

    /// <summary>How many live pages this process serves now.</summary>
    public int Count => channels.Length;

    private void Remove(Channel<TicketChange> channel)
    {
        lock (gate)
        {
            channels = [.. channels.Where(c => c != channel)];
        }
    }

    /// <summary>One live page's changes, until it is disposed.</summary>
    public sealed class Subscription(LiveFeed feed, Channel<TicketChange> channel) : IDisposable
    {
        public ChannelReader<TicketChange> Reader => channel.Reader;

        /// <summary>Waits up to <paramref name="quiet"/> for a change, then gathers what else arrives within
        /// <paramref name="gather"/>, so that a burst (a bulk action, an event per clock) is checked and sent once
        /// per ticket. Empty when nothing arrived.</summary>
        public async Task<IReadOnlyCollection<TicketChange>> NextAsync(TimeSpan quiet, TimeSpan gather, CancellationToken ct)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(quiet);
            try
            {
                if (!await channel.Reader.WaitToReadAsync(wait.Token))
                {
                    return [];
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return [];
            }

            await Task.Delay(gather, ct);
            var changes = new HashSet<TicketChange>();
            while (channel.Reader.TryRead(out var change))
            {
                changes.Add(change);
            }

            return changes;
        }

        public void Dispose()
        {
            channel.Writer.TryComplete();
            feed.Remove(channel);
        }
    }
}

namespace Msp.Testing;

/// <summary>A clock that keeps the system's time, moved forward by a test (a token's expiry, a throttle) instead of
/// sleeping. Registered as the host's <see cref="TimeProvider"/>; a test that moves it puts it back before anything
/// else uses the host (signed-in clients' access tokens expire on the same clock).</summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    /// <summary>Moves the clock on by <paramref name="by"/> until the returned scope is disposed.</summary>
    public IDisposable Advance(TimeSpan by)
    {
        Interlocked.Add(ref offsetTicks, by.Ticks);
        return new Restore(this, by);
    }

    private sealed class Restore(TestClock clock, TimeSpan by) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                Interlocked.Add(ref clock.offsetTicks, -by.Ticks);
            }
        }
    }
}

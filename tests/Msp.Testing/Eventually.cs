using System.Diagnostics;

namespace Msp.Testing;

/// <summary>Waits for something asynchronous (a message to be consumed) by polling, up to a deadline.</summary>
public static class Eventually
{
    /// <summary>Returns how long it took for <paramref name="condition"/> to hold; throws if it never did.</summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string because)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > within)
            {
                throw new TimeoutException($"Not within {within}: {because}");
            }

            await Task.Delay(20);
        }
    }
}

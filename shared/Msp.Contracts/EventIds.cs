using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Msp.Contracts;

/// <summary>Event ids: UUIDv7 that also keep their order within one process and millisecond (RFC 9562, method 1:
/// the 12-bit <c>rand_a</c> field counts). The outbox relay publishes in id order, so the events of one change
/// leave in the order they were raised. <see cref="Guid.CreateVersion7()"/> is random within a millisecond.</summary>
public static class EventIds
{
    private static readonly Lock Gate = new();
    private static long lastMilliseconds;
    private static int counter;

    public static Guid New()
    {
        long ms;
        int sequence;
        lock (Gate)
        {
            ms = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), lastMilliseconds);
            if (ms == lastMilliseconds)
            {
                counter++;
                if (counter > 0xFFF)
                {
                    ms++;
                    counter = 0;
                }
            }
            else
            {
                counter = 0;
            }

            (lastMilliseconds, sequence) = (ms, counter);
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, ms << 16);
        bytes[6] = (byte)(0x70 | (sequence >> 8));
        bytes[7] = (byte)sequence;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}

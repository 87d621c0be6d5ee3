extern alias mail;

using mail::Msp.Mail.Domain;

namespace Msp.Mail.Tests.Domain;

public sealed class DeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(5, 80)]
    [InlineData(8, 600)]
    [InlineData(11, 600)]
    public void AFailedAttempt_WaitsTwiceAsLongAsTheOneBefore_UpToTheMaximum(int attempts, int seconds)
    {
        var delivery = New();
        for (var i = 0; i < attempts; i++)
        {
            delivery.AttemptFailed("connection refused", permanent: false, Now, limit: 12, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        }

        delivery.Status.ShouldBe(DeliveryStatus.Pending);
        delivery.NextAttemptAt.ShouldBe(Now + TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void APermanentRefusal_OrTheLastAttempt_KeepsTheDeliveryAsFailed_UntilAnOperatorRetriesIt()
    {
        var refused = New();
        refused.AttemptFailed("550 no such user", permanent: true, Now, 12, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        refused.Status.ShouldBe(DeliveryStatus.Failed);
        refused.LastError.ShouldBe("550 no such user");

        var exhausted = New();
        exhausted.AttemptFailed("timeout", permanent: false, Now, limit: 1, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        exhausted.Status.ShouldBe(DeliveryStatus.Failed);
        exhausted.Retry(Now).ShouldBeTrue();
        exhausted.Status.ShouldBe(DeliveryStatus.Pending);
        exhausted.Retry(Now).ShouldBeFalse();
    }

    [Fact]
    public void EachDelivery_HasItsOwnMessageId_InTheSupportDomain()
    {
        var a = New();
        var b = New();
        a.MessageId.ShouldEndWith("@msp.local");
        a.MessageId.ShouldNotBe(b.MessageId);
        a.Recipient.ShouldBe("jane@client.example");
    }

    private static Delivery New() => Delivery.For(
        Guid.CreateVersion7(), Guid.CreateVersion7(), new Recipient("Jane@Client.example", "fr"), Notifications.TicketReceived, null, [], "msp.local", Now);
}

using System.Net.Http.Json;
using System.Text.Json;
using Msp.Contracts;
using Msp.Contracts.Mail;
using Msp.Testing;

namespace Msp.Tenants.Tests.Features.AdmitMailSender;

/// <summary>A sender the mail service admitted from a tenant's domain becomes that tenant's ClientUser, with the id the mail
/// service gave them, no password and no invitation, once.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class MailSenderAdmittedConsumerTests(TenantsFactory factory)
{
    [Fact]
    public async Task TheSender_BecomesAnInvitedClientUserWithoutPasswordOrInvitation_AnnouncedWithoutAToken_Once()
    {
        var tenantId = await factory.CreateTenantAsync(factory.Admin);
        var admitted = Admitted(tenantId, $"new.{Guid.NewGuid():N}"[..16] + "@client.example");

        await DeliverAsync(admitted);
        await DeliverAsync(admitted with { }); // the same event again: nothing more

        var user = await factory.Admin.GetFromJsonAsync<JsonElement>($"/api/users/{admitted.UserId}");
        user.GetProperty("email").GetString().ShouldBe(admitted.Email);
        user.GetProperty("role").GetString().ShouldBe("ClientUser");
        user.GetProperty("status").GetString().ShouldBe("Invited");
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE user_id = $1", admitted.UserId)).ShouldBe(0);
        (await factory.EventCountAsync("UserInvited", admitted.UserId)).ShouldBe(1);
        var announced = (await factory.LastEventAsync("UserInvited", admitted.UserId))!.Value;
        announced.TryGetProperty("invitationToken", out var token).ShouldBeTrue();
        token.ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AnAddressThatIsSomeonesAlready_ChangesNothing()
    {
        var tenantId = await factory.CreateTenantAsync(factory.Admin);
        var (existing, email, _) = await factory.InviteAsync(factory.Admin, tenantId);
        var admitted = Admitted(tenantId, email);

        await DeliverAsync(admitted);

        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE id = $1", admitted.UserId)).ShouldBe(0);
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE normalized_email = upper($1)", email)).ShouldBe(1);
        (await factory.EventCountAsync("UserInvited", existing)).ShouldBe(1);
    }

    private async Task DeliverAsync(MailSenderAdmitted e)
    {
        var before = factory.Consumed.Of(e.EventId);
        await factory.Bus.Publish(e);
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(e.EventId) > before), TimeSpan.FromSeconds(30), "MailSenderAdmitted is consumed");
    }

    private static MailSenderAdmitted Admitted(Guid tenantId, string email) => new()
    {
        EventId = EventIds.New(), TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, UserId = Guid.CreateVersion7(), Email = email, DisplayName = "New Person",
    };
}

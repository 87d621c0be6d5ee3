using System.Text;
using Microsoft.AspNetCore.Authentication;
using Msp.Web.Api;
using Msp.Web.Sessions;

namespace Msp.Web.Tests.Sessions;

public sealed class SessionStoreTests(SessionsDatabase sessions) : IClassFixture<SessionsDatabase>
{
    [Fact]
    public async Task ASession_KeepsThePrincipalAndTheTokens_EncryptedUnderARandomKeyStoredHashed()
    {
        var store = sessions.Store(TimeProvider.System);
        var user = Guid.NewGuid();
        var access = "access-" + Guid.NewGuid();
        var refresh = "refresh-" + Guid.NewGuid();

        var key = await store.StoreAsync(SessionsDatabase.SignedIn(user, access, refresh, DateTimeOffset.UtcNow.AddMinutes(15)));

        key.Length.ShouldBeGreaterThanOrEqualTo(43, "256 random bits");
        var ticket = await store.RetrieveAsync(key);
        ticket!.Principal.Identity!.Name.ShouldBe("Nora");
        ticket.Principal.FindFirst(SessionStore.SessionKeyClaim)!.Value.ShouldBe(key, "the pages' API calls find the session by it");
        ticket.Properties.GetTokens().ShouldBeEmpty("the tokens live beside the principal, not in it");
        var row = await sessions.Database.ScalarAsync<string>(
            "SELECT encode(key_hash, 'hex') || encode(ticket, 'escape') || encode(access_token, 'escape') || encode(refresh_token, 'escape') FROM sessions WHERE user_id = $1", user);
        row.ShouldNotContain(access);
        row.ShouldNotContain(refresh);
        row.ShouldNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key)));
        (await sessions.Tokens(TimeProvider.System).AccessTokenAsync(key, null, default)).ShouldBe(access);
    }

    [Fact]
    public async Task AnExpiredOrRemovedSession_IsNoSession()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var store = sessions.Store(clock);
        var ticket = SessionsDatabase.SignedIn(Guid.NewGuid(), "a", "r", clock.GetUtcNow().AddMinutes(15));
        ticket.Properties.ExpiresUtc = clock.GetUtcNow().AddMinutes(30);
        var expiring = await store.StoreAsync(ticket);
        var removed = await store.StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "a", "r", clock.GetUtcNow().AddMinutes(15)));

        await store.RemoveAsync(removed);
        clock.Advance(TimeSpan.FromMinutes(31));

        (await store.RetrieveAsync(expiring)).ShouldBeNull();
        (await store.RetrieveAsync(removed)).ShouldBeNull();
        await Should.ThrowAsync<SignInExpiredException>(() => sessions.Tokens(clock).AccessTokenAsync(removed, null, default));
    }

    [Fact]
    public async Task Renewing_SlidesTheExpiry_AndKeepsTheTokens()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var store = sessions.Store(clock);
        var key = await store.StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "kept-access", "r", clock.GetUtcNow().AddHours(24)));
        var ticket = (await store.RetrieveAsync(key))!;
        ticket.Properties.ExpiresUtc = clock.GetUtcNow().AddHours(20);

        await store.RenewAsync(key, ticket);
        clock.Advance(TimeSpan.FromHours(10));

        (await store.RetrieveAsync(key)).ShouldNotBeNull();
        (await sessions.Tokens(clock).AccessTokenAsync(key, null, default)).ShouldBe("kept-access");
    }
}

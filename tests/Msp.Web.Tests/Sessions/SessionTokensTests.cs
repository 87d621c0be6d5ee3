using Msp.Web.Api;

namespace Msp.Web.Tests.Sessions;

public sealed class SessionTokensTests(SessionsDatabase sessions) : IClassFixture<SessionsDatabase>
{
    [Fact]
    public async Task AnAccessTokenExpiringWithinAMinute_IsRefreshedOnce_WhateverTheNumberOfRequestsAskingForIt()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var refresh = "refresh-" + Guid.NewGuid();
        sessions.LiveRefreshTokens[refresh] = true;
        var key = await sessions.Store(clock).StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "old-access", refresh, clock.GetUtcNow().AddSeconds(50)));
        var before = sessions.Refreshes;

        // Two replicas (each with its own memory) and several requests each, all at once.
        var replicas = new[] { sessions.Tokens(clock), sessions.Tokens(clock) };
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => replicas[i % 2].AccessTokenAsync(key, null, default)));

        (sessions.Refreshes - before).ShouldBe(1, "a refresh token spends once: a second refresh would end the sign-in");
        answers.Distinct().ShouldHaveSingleItem().ShouldStartWith("access-");
        answers[0].ShouldNotBe("old-access");
        sessions.LiveRefreshTokens.ContainsKey(refresh).ShouldBeFalse();
    }

    [Fact]
    public async Task AFreshAccessToken_IsUsedAsItIs()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var key = await sessions.Store(clock).StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "fresh", "unused-refresh", clock.GetUtcNow().AddMinutes(15)));
        var before = sessions.Refreshes;

        (await sessions.Tokens(clock).AccessTokenAsync(key, null, default)).ShouldBe("fresh");
        clock.Advance(TimeSpan.FromMinutes(13));
        (await sessions.Tokens(clock).AccessTokenAsync(key, null, default)).ShouldBe("fresh");

        sessions.Refreshes.ShouldBe(before);
    }

    [Fact]
    public async Task ARefusedRefresh_EndsTheSession()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var store = sessions.Store(clock);
        var key = await store.StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "old", "revoked-" + Guid.NewGuid(), clock.GetUtcNow().AddSeconds(30)));

        await Should.ThrowAsync<SignInExpiredException>(() => sessions.Tokens(clock).AccessTokenAsync(key, null, default));

        (await store.RetrieveAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task SigningOut_RevokesTheRefreshTokenAtTheApi_AndForgetsTheSession()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var refresh = "refresh-" + Guid.NewGuid();
        sessions.LiveRefreshTokens[refresh] = true;
        var store = sessions.Store(clock);
        var key = await store.StoreAsync(SessionsDatabase.SignedIn(Guid.NewGuid(), "a", refresh, clock.GetUtcNow().AddMinutes(15)));

        await sessions.Tokens(clock).SignOutAsync(key, default);

        sessions.LiveRefreshTokens.ContainsKey(refresh).ShouldBeFalse();
        (await store.RetrieveAsync(key)).ShouldBeNull();
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Msp.Web.Desk;

namespace Msp.Web.Tests.Desk;

public sealed class ReferenceListsTests
{
    private readonly ReferenceLists lists = new(new MemoryCache(new MemoryCacheOptions()));
    private int loads;

    private static ClaimsPrincipal User(Guid id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));

    private Task<string[]> Queues(ClaimsPrincipal user) => lists.GetAsync(user, "queues", () =>
    {
        loads++;
        return Task.FromResult(new[] { $"read {loads}" });
    });

    [Fact]
    public async Task AList_IsAskedForOncePerUser_AndEachUserGetsTheirOwn()
    {
        var (ana, ben) = (User(Guid.NewGuid()), User(Guid.NewGuid()));
        (await Queues(ana)).ShouldBe(["read 1"]);
        (await Queues(ana)).ShouldBe(["read 1"], "the second page within the lifetime keeps the first answer");
        (await Queues(ben)).ShouldBe(["read 2"], "another user's answer is never handed on");
        loads.ShouldBe(2);
    }

    [Fact]
    public async Task APostToTheConsole_ForgetsThePostersLists_AndNoOneElses()
    {
        var (ana, ben) = (User(Guid.NewGuid()), User(Guid.NewGuid()));
        await Queues(ana);
        await Queues(ben);

        var post = new DefaultHttpContext { User = ana };
        post.Request.Method = HttpMethods.Post;
        post.Request.Path = "/console/queues";
        var passedOn = false;
        await lists.ForgetOnConsolePosts(post, _ => { passedOn = true; return Task.CompletedTask; });

        passedOn.ShouldBeTrue();
        (await Queues(ana)).ShouldBe(["read 3"]);
        (await Queues(ben)).ShouldBe(["read 2"]);
    }

    [Fact]
    public async Task APostElsewhere_OrAConsolePageRead_KeepsTheLists()
    {
        var ana = User(Guid.NewGuid());
        await Queues(ana);
        foreach (var (method, path) in new[] { ("POST", "/desk/tickets/1"), ("GET", "/console/queues") })
        {
            var request = new DefaultHttpContext { User = ana };
            request.Request.Method = method;
            request.Request.Path = path;
            await lists.ForgetOnConsolePosts(request, _ => Task.CompletedTask);
        }

        (await Queues(ana)).ShouldBe(["read 1"]);
    }
}

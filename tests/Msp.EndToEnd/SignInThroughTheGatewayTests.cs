using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.EndToEnd;

[Collection(nameof(PlatformCollection))]
public sealed class SignInThroughTheGatewayTests(Platform platform)
{
    [Fact]
    public async Task TheFirstAdmin_SignsInThroughTheGateway_AndIsRecognisedWithTheToken()
    {
        var login = await platform.Gateway.PostAsJsonAsync("/api/auth/login", new { email = Platform.AdminEmail, password = Platform.AdminPassword });
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        var accessToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var me = await platform.Gateway.SendAsync(request);

        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles")[0].GetString().ShouldBe("Admin");
    }
}

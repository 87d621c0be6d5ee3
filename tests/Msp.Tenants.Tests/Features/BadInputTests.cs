using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Msp.Tenants.Domain;

namespace Msp.Tenants.Tests.Features;

/// <summary>Bad input to the sign-in, invitation and staff endpoints: a problem document naming the field, never a 500.</summary>
[Collection(nameof(TenantsCollection))]
public sealed class BadInputTests(TenantsFactory factory)
{
    public static TheoryData<string, string, string, HttpStatusCode, string> Cases => new()
    {
        { "POST", "/api/auth/refresh", "{}", HttpStatusCode.BadRequest, "refreshToken" },
        { "POST", "/api/auth/logout", "{}", HttpStatusCode.BadRequest, "refreshToken" },
        { "POST", "/api/auth/invitations/accept", """{"password":"long enough password"}""", HttpStatusCode.BadRequest, "token" },
        { "POST", "/api/auth/invitations/accept", """{"token":"never-issued","password":"long enough password"}""", HttpStatusCode.BadRequest, "token" },
        { "POST", "/api/tenants/{tenant}/users", """{"displayName":"X","role":"ClientUser"}""", HttpStatusCode.BadRequest, "email" },
        { "POST", "/api/tenants/{tenant}/users", """{"email":"a@b.example","role":"ClientUser"}""", HttpStatusCode.BadRequest, "displayName" },
        { "POST", "/api/tenants/{tenant}/users", """{"email":"a@b.example","displayName":"X","role":"Overlord"}""", HttpStatusCode.BadRequest, "role" },
        { "POST", "/api/staff", """{"email":"s@b.example","displayName":"X","role":"ClientUser"}""", HttpStatusCode.BadRequest, "role" },
        { "PUT", "/api/staff/{technician}/tenants", """{"allTenants":false,"tenantIds":["00000000-0000-7000-8000-000000000001"]}""", HttpStatusCode.BadRequest, "tenantIds" },
        { "PUT", "/api/staff/{operator}/tenants", """{"allTenants":true}""", HttpStatusCode.Conflict, "id" },
        { "PUT", "/api/staff/{technician}/tenants", """{"allTenants":"yes"}""", HttpStatusCode.BadRequest, "allTenants" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_AnswersAProblemNamingTheField(string method, string url, string json, HttpStatusCode status, string field)
    {
        var tenant = await factory.CreateTenantAsync(factory.Admin);
        var technician = await factory.CreateUserAsync(Roles.Technician, "a long enough password");
        var operatorUser = await factory.CreateUserAsync(Roles.Operator, "a long enough password");
        var target = url.Replace("{tenant}", tenant.ToString()).Replace("{technician}", technician.Id.ToString()).Replace("{operator}", operatorUser.Id.ToString());

        var response = await factory.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), target)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _)
            .ShouldBeTrue($"{method} {url} should name '{field}'");
    }

    [Theory]
    [InlineData("POST", "/api/users/{id}/deactivate")]
    [InlineData("PUT", "/api/staff/{id}/tenants")]
    [InlineData("POST", "/api/tenants/{id}/users")]
    public async Task AnUnknownId_AnswersNotFound(string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{id}", Guid.CreateVersion7().ToString()))
        {
            Content = JsonContent.Create(new { allTenants = true, email = "n@b.example", displayName = "N", role = Roles.ClientUser }),
        };

        var response = await factory.Admin.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}

using System.Net;
using Msp.Browser.Screens;

namespace Msp.Browser.Portal;

/// <summary>Acceptance 3 of issue 19: tenants cannot see each other, signing in is needed and brings one back, and a
/// form without its antiforgery token is refused. Also: a page a role may not open says so and shows nothing else.</summary>
[Collection(nameof(PortalCollection))]
public sealed class BoundaryTests(PortalFixture portal)
{
    [Fact]
    public async Task AnotherTenantsTicket_LooksExactlyLikeAnUnknownOne_AndShowsNothingOfIt()
    {
        var (tenantA, _) = await portal.TenantAsync();
        var (tenantB, _) = await portal.TenantAsync();
        var a = await portal.ClientAsync(tenantA, "ClientAdmin", "Alice Alpha");
        var b = await portal.ClientAsync(tenantB, "ClientUser", "Bob Beta");
        var secret = "Salary spreadsheet " + Guid.NewGuid().ToString("N")[..6];
        var (bTicket, bReference) = await PortalFixture.OpenTicketAsync(b, secret);
        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(a.Email, a.Password);

        var other = await visit.GoAsync($"/portal/tickets/{bTicket}");
        other!.Status.ShouldBe(404);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        var otherText = await visit.Page.Locator("main").InnerTextAsync();
        await visit.ShowsAsync("portal-not-found");
        var html = await visit.Page.ContentAsync();
        html.ShouldNotContain(secret);
        html.ShouldNotContain(bReference);

        var unknown = await visit.GoAsync($"/portal/tickets/{Guid.NewGuid()}");
        unknown!.Status.ShouldBe(404);
        (await visit.Page.Locator("main").InnerTextAsync()).ShouldBe(otherText);

        // The download route of B's files is just as closed.
        (await visit.GoAsync($"/portal/tickets/{bTicket}/attachments/{Guid.NewGuid()}"))!.Status.ShouldBe(404);
    }

    [Fact]
    public async Task ASignedOutVisitor_IsSentToSignIn_AndBackToThePageTheyAskedFor()
    {
        var (tenant, _) = await portal.TenantAsync();
        var user = await portal.ClientAsync(tenant, "ClientUser", "Olga Outside");
        await using var visit = await portal.VisitAsync();

        await visit.GoAsync("/portal/tickets/new");
        await visit.Page.WaitForURLAsync("**/account/signin?returnUrl=%2Fportal%2Ftickets%2Fnew");
        await new SignInScreen(visit).SignInAsync(user.Email, user.Password);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Ask for help" })).ToBeVisibleAsync();
        new Uri(visit.Page.Url).AbsolutePath.ShouldBe("/portal/tickets/new");

        // Signing out ends the session: the same page asks to sign in again.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");
        await visit.GoAsync("/portal/tickets/new");
        await visit.Page.WaitForURLAsync("**/account/signin?returnUrl=*");
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var (tenant, _) = await portal.TenantAsync();
        var user = await portal.ClientAsync(tenant, "ClientUser", "Fiona Forms");
        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(user.Email, user.Password);

        // The browser's own cookies (the session), but a form that another site could have made: no token.
        var forged = await visit.Context.APIRequest.PostAsync("/portal/tickets/new", new APIRequestContextOptions
        {
            Form = visit.Context.APIRequest.CreateFormData().Set("_handler", "new-ticket").Set("Form.Subject", "Forged").Set("Form.Impact", "Low").Set("Form.Urgency", "Low"),
        });
        forged.Status.ShouldBe((int)HttpStatusCode.BadRequest);
        var signOut = await visit.Context.APIRequest.PostAsync("/account/signout", new APIRequestContextOptions
        {
            Form = visit.Context.APIRequest.CreateFormData().Set("x", "1"),
        });
        signOut.Status.ShouldBe((int)HttpStatusCode.BadRequest);

        var list = await new TicketListScreen(visit).OpenAsync("?show=all");
        await Expect(visit.Page.GetByText("Forged")).ToHaveCountAsync(0);
        await Expect(visit.Page.GetByText("No ticket matches.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task APageTheRoleMayNotOpen_SaysNotAllowed_AndStaffLandOnTheirOwnHome()
    {
        var (tenant, _) = await portal.TenantAsync();
        var user = await portal.ClientAsync(tenant, "ClientUser", "Uma User");
        await using var visit = await portal.VisitAsync();
        await new SignInScreen(visit).OpenAsync();
        await new SignInScreen(visit).SignInAsync(user.Email, user.Password);

        var refused = await visit.GoAsync("/portal/company/invoices");
        refused!.Status.ShouldBe(403);
        await Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await visit.ShowsAsync("portal-not-allowed");

        var technician = await portal.TechnicianAsync(tenant);
        await using var staff = await portal.VisitAsync();
        await new SignInScreen(staff).OpenAsync();
        await new SignInScreen(staff).SignInAsync(technician.Email, technician.Password);
        await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Queue", Level = 1 })).ToBeVisibleAsync(); // the technicians' queue
        await staff.GoAsync("/staff");
        await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Staff home", Level = 1 })).ToBeVisibleAsync();
        await Expect(staff.Page.GetByRole(AriaRole.Link, new() { Name = "API reference" })).ToHaveAttributeAsync("href", "/api/docs");
        await staff.ShowsAsync("staff-home");
        (await staff.GoAsync("/portal"))!.Status.ShouldBe(403);
    }
}

using Msp.Web.Desk.Tickets;

namespace Msp.Web.Tests.Desk.Tickets;

public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string?> Values =
        Placeholders.For("Nina Nord", "nina@example.test", "ACME-42", "Printer", "Acme Ltd", "Sam Support");

    [Theory]
    [InlineData("Hello {requester.firstName},", "Hello Nina,")]
    [InlineData("{requester.name} <{requester.email}>", "Nina Nord <nina@example.test>")]
    [InlineData("Ticket {ticket.reference}: {ticket.subject}", "Ticket ACME-42: Printer")]
    [InlineData("{technician.firstName} of {tenant.name}'s support, {technician.name}", "Sam of Acme Ltd's support, Sam Support")]
    [InlineData("{unknown.thing} stays", "{unknown.thing} stays")]
    [InlineData("No placeholder", "No placeholder")]
    public void APlaceholder_IsFilledForTheTicketAndTheTechnician(string body, string expected) =>
        Placeholders.Fill(body, Values).ShouldBe(expected);

    [Fact]
    public void AnUnknownName_LeavesTheFirstNameEmpty_NotTheWordPlaceholder() =>
        Placeholders.Fill("Hello {requester.firstName}!", Placeholders.For(null, null, "R-1", "S", "T", null)).ShouldBe("Hello !");
}

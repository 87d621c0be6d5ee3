using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Clients;

/// <summary>The client form's fields as posted; the contact is sent only when any of it is filled in.</summary>
public sealed class ClientForm
{
    public string? Name { get; set; }

    public string? Slug { get; set; }

    public string? Country { get; set; }

    public string? TimeZone { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public static ClientForm From(Client client) => new()
    {
        Name = client.Name,
        Slug = client.Slug,
        Country = client.Country,
        TimeZone = client.TimeZone,
        ContactName = client.PrimaryContact?.Name,
        ContactEmail = client.PrimaryContact?.Email,
        ContactPhone = client.PrimaryContact?.Phone,
    };

    public ClientDetails ToDetails() => new(
        Name!.Trim(), Slug!.Trim(), TimeZone!.Trim(), Country!.Trim().ToUpperInvariant(),
        string.IsNullOrWhiteSpace(ContactName) && string.IsNullOrWhiteSpace(ContactEmail) && string.IsNullOrWhiteSpace(ContactPhone)
            ? null
            : new ClientContact(ContactName?.Trim() ?? "", ContactEmail?.Trim() ?? "", string.IsNullOrWhiteSpace(ContactPhone) ? null : ContactPhone.Trim()));
}

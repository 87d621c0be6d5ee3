using Msp.ServiceDefaults.Hosting;
using System.Globalization;
using System.Text.Json.Serialization;
using FluentValidation;
using Msp.Tenants.Domain;
using NodaTime;

namespace Msp.Tenants.Features;

/// <summary>The body of creating or replacing a tenant. Fields are nullable so that a missing one is reported by
/// the validator by name, not as a JSON error.</summary>
/// <summary><see cref="EmailDomains"/>: the tenant's e-mail domains (e.g. <c>acme-dental.example</c>); left out, they stay as they are.</summary>
public sealed record TenantRequest(string? Name, string? Slug, string? TimeZone, string? Country, ContactRequest? PrimaryContact, IReadOnlyList<string>? EmailDomains = null)
{
    public TenantDetails ToDetails() => new(
        Name!, Slug!, TimeZone!, Country!,
        PrimaryContact is null ? null : new Contact(PrimaryContact.Name!.Trim(), PrimaryContact.Email!.Trim(), PrimaryContact.Phone?.Trim()), EmailDomains);
}

/// <summary>A tenant's e-mail domains are its own: no two tenants share one.</summary>
public static class EmailDomainRules
{
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> TakenAsync(
        Msp.Tenants.Persistence.TenantsDb db, Guid? self, IReadOnlyList<string>? domains, CancellationToken ct)
    {
        if (domains is not { Count: > 0 })
        {
            return null;
        }

        var wanted = domains.Select(d => d.Trim().ToLowerInvariant()).ToArray();
        var taken = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.Tenants, t => t.Id != self && t.EmailDomains.Any(d => wanted.Contains(d)), ct);
        return taken ? Problems.Conflict("emailDomains", "Another tenant has one of these e-mail domains already.") : null;
    }
}

public sealed record ContactRequest(string? Name, string? Email, string? Phone);

public sealed record ContactResponse(string Name, string Email, string? Phone);

public sealed record TenantResponse(
    Guid Id,
    string Name,
    string Slug,
    string TimeZone,
    string Country,
    ContactResponse? PrimaryContact,
    TenantStatus Status,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> EmailDomains)
{
    public static TenantResponse From(Tenant t) => new(
        t.Id, t.Name, t.Slug, t.TimeZone, t.Country,
        t.PrimaryContact is { } c ? new ContactResponse(c.Name, c.Email, c.Phone) : null,
        t.Status, t.Version, t.CreatedAt, t.UpdatedAt, t.EmailDomains);

    /// <summary>The tenant's version as an entity tag, for <c>If-Match</c>; sent as a header, not in the body.</summary>
    [JsonIgnore]
    public string ETag => Preconditions.ETag(Version);
}

public sealed partial class TenantRequestValidator : AbstractValidator<TenantRequest>
{
    public const int MaxNameLength = 200;

    public TenantRequestValidator()
    {
        RuleFor(r => r.Name)
            .NotEmpty().WithMessage("Name is required.")
            .Must(n => n!.Trim().Length <= MaxNameLength).WithMessage($"Name may be at most {MaxNameLength} characters.");
        RuleFor(r => r.Slug)
            .NotEmpty().WithMessage("Slug is required.")
            .Matches("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")
            .WithMessage("Slug must be 2 to 32 lowercase letters, digits or hyphens, starting and ending with a letter or digit.");
        RuleFor(r => r.TimeZone)
            .NotEmpty().WithMessage("Time zone is required.")
            .Must(tz => DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz!) is not null)
            .WithMessage(r => $"'{r.TimeZone}' is not a known IANA time zone (for example Europe/Paris).");
        RuleFor(r => r.Country)
            .NotEmpty().WithMessage("Country is required.")
            .Must(BeIsoCountry).WithMessage(r => $"'{r.Country}' is not an ISO 3166-1 alpha-2 country code (for example FR).");
        When(r => r.PrimaryContact is not null, () =>
        {
            RuleFor(r => r.PrimaryContact!.Name).NotEmpty().MaximumLength(200);
            RuleFor(r => r.PrimaryContact!.Email).NotEmpty().EmailAddress().MaximumLength(254);
            RuleFor(r => r.PrimaryContact!.Phone).MaximumLength(40);
        });
        RuleFor(r => r.EmailDomains).Must(d => d!.Count <= 20).When(r => r.EmailDomains is not null).WithMessage("At most 20 e-mail domains.");
        RuleForEach(r => r.EmailDomains)
            .Must(d => d is not null && Domain().IsMatch(d.Trim()))
            .WithMessage(d => $"'{d}' is not an e-mail domain (for example acme-dental.example).");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?=.{3,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial System.Text.RegularExpressions.Regex Domain();

    private static bool BeIsoCountry(string? code)
    {
        if (code is not { Length: 2 } || !code.All(char.IsAsciiLetter))
        {
            return false;
        }

        try
        {
            return new RegionInfo(code).TwoLetterISORegionName.Equals(code, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

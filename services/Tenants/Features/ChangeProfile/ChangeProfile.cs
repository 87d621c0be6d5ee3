using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Contracts.Tenants;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tenants.Domain;
using Msp.Tenants.Features.Auth;
using Msp.Tenants.Persistence;
using NodaTime;

namespace Msp.Tenants.Features.ChangeProfile;

/// <summary>The caller's own profile. A null <see cref="Language"/> or <see cref="TimeZone"/> follows the tenant's
/// default again.</summary>
public sealed record ProfileRequest(string? DisplayName, string? Language, string? TimeZone);

public sealed class ProfileRequestValidator : AbstractValidator<ProfileRequest>
{
    public ProfileRequestValidator()
    {
        RuleFor(r => r.DisplayName).NotEmpty().WithMessage("Display name is required.")
            .Must(n => n!.Trim().Length is > 0 and <= 200).WithMessage("Display name is 1 to 200 characters.");
        RuleFor(r => r.Language).Must(l => l is null || Languages.All.Contains(l))
            .WithMessage($"Language is one of {string.Join(", ", Languages.All)}.");
        RuleFor(r => r.TimeZone).Must(tz => tz is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz) is not null)
            .WithMessage(r => $"'{r.TimeZone}' is not a known IANA time zone (for example Europe/Paris).");
    }
}

public static class ChangeProfile
{
    public static RouteGroupBuilder MapChangeProfile(this RouteGroupBuilder group)
    {
        group.MapPut("/me/profile", Handle).Validate<ProfileRequest>().RequireAuthorization().WithName(nameof(ChangeProfile));
        return group;
    }

    /// <summary>Changes the caller's display name, language and time zone, and tells the services that keep copies of
    /// users (<see cref="UserProfileChanged"/>) in the same transaction. Answers the new <c>me</c>.</summary>
    public static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult, ProblemHttpResult>> Handle(
        ProfileRequest request, ClaimsPrincipal principal, UserManager<User> users, TenantsDb db, TenantScope scope, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        scope.AllowAll(); // the caller's own row, whatever their tenant scope
        var user = await users.GetUserAsync(principal);
        if (user is not { IsActive: true })
        {
            return TypedResults.Unauthorized();
        }

        var tenant = user.TenantId is { } tenantId ? await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct) : null;
        user.ChangeProfile(request.DisplayName!.Trim(), request.Language, request.TimeZone, clock.GetUtcNow());
        db.PublishOnSave(new UserProfileChanged
        {
            EventId = EventIds.New(), TenantId = user.TenantId ?? Provider.TenantId, OccurredAt = user.ProfileChangedAt!.Value, UserId = user.Id,
            Email = user.Email!, DisplayName = user.DisplayName, Language = user.LanguageIn(tenant), TimeZone = user.TimeZoneIn(tenant),
        }, http.TraceIdentifier);
        var saved = await users.UpdateAsync(user); // Identity's concurrency stamp: a concurrent change of the same user loses
        if (!saved.Succeeded)
        {
            return ManagedUsers.Refused(saved, "displayName");
        }

        return TypedResults.Ok(await Me.DescribeAsync(principal, user, users, db, ct));
    }
}

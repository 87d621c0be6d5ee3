using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;

namespace Msp.Mail.Features.Preferences;

public sealed record NotificationPreference(string Notification, bool Essential, bool Enabled);

public sealed record PreferencesResponse(string Language, IReadOnlyList<NotificationPreference> Notifications);

/// <summary>The optional notifications the signed-in user does not want; every other one they receive.</summary>
public sealed record PreferencesRequest(IReadOnlyList<string>? Disabled);

public sealed class PreferencesValidator : AbstractValidator<PreferencesRequest>
{
    public PreferencesValidator()
    {
        RuleFor(r => r.Disabled).NotNull().WithMessage("List the notifications to turn off (an empty list turns every one on).");
        RuleForEach(r => r.Disabled)
            .Must(n => Notifications.All.Contains(n)).WithMessage(n => $"'{n}' is no notification; they are {string.Join(", ", Notifications.All)}.")
            .Must(n => !Notifications.Essential.Contains(n)).WithMessage(n => $"'{n}' is essential and cannot be turned off.");
    }
}

/// <summary>The signed-in user's own notification preferences.</summary>
public static class Preferences
{
    public static RouteGroupBuilder MapPreferences(this RouteGroupBuilder group)
    {
        group.MapGet("/preferences", Get).WithName("GetMailPreferences");
        group.MapPut("/preferences", Put).Validate<PreferencesRequest>().WithName("ChangeMailPreferences");
        return group;
    }

    public static async Task<Ok<PreferencesResponse>> Get(ClaimsPrincipal user, MailDb db, CancellationToken ct)
    {
        var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return TypedResults.Ok(Shape(await db.Recipients.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == id, ct)));
    }

    public static async Task<Ok<PreferencesResponse>> Put(PreferencesRequest request, ClaimsPrincipal user, MailDb db, TimeProvider clock, CancellationToken ct)
    {
        var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var tenant = Guid.TryParse(user.FindFirstValue(MspClaims.TenantId), out var t) ? t : (Guid?)null;
        for (var attempt = 1; ; attempt++)
        {
            var reader = await db.Recipients.FirstOrDefaultAsync(r => r.UserId == id, ct);
            if (reader is null)
            {
                reader = MailRecipient.For(id, tenant, clock.GetUtcNow());
                db.Recipients.Add(reader);
            }

            reader.Mute(request.Disabled!, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(Shape(reader));
            }
            catch (DbUpdateException e) when (attempt == 1 && e.IsUniqueViolation("mail_recipients_pkey"))
            {
                db.ChangeTracker.Clear(); // a concurrent first change of the same user's row won: apply this one over it
            }
        }
    }

    private static PreferencesResponse Shape(MailRecipient? reader) => new(
        reader?.Language ?? "en",
        [.. Notifications.All.Select(n => new NotificationPreference(n, Notifications.Essential.Contains(n), reader?.Receives(n) ?? true))]);
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msp.KnownParties;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.ServiceDefaults.Identity;

namespace Msp.Mail.Outbound;

/// <summary>A user as a notification addresses them.</summary>
public sealed record Reader(Guid UserId, string Email, string Name, string Language, bool IsStaff, string[] Muted, string TimeZone);

/// <summary>Finds who a notification goes to, in which language and time zone, and whether they want it; and writes the
/// deliveries, once per (event, recipient).</summary>
public sealed class Recipients(MailDb db, IOptions<MailOptions> options, TimeProvider clock, DeliverySignal signal)
{
    public MailOptions Options => options.Value;

    /// <summary>The users among <paramref name="ids"/> who can read mail (active), with their language and what they muted.</summary>
    public async Task<List<Reader>> ReadersAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToArray();
        var users = await db.KnownUsers.AsNoTracking().Where(u => wanted.Contains(u.Id) && u.DeactivatedAt == null).ToListAsync(ct);
        var found = users.Select(u => (u.Id, u.TenantId, u.Email, u.DisplayName, IsStaff: u.TenantId == null)).ToList();
        var missing = wanted.Except(users.Select(u => u.Id)).ToArray();
        if (missing.Length > 0)
        {
            // Senders this service admitted itself, before the Tenants service's announcement of them arrives.
            found.AddRange((await db.AdmittedSenders.AsNoTracking().Where(s => missing.Contains(s.UserId)).ToListAsync(ct))
                .Select(s => (s.UserId, (Guid?)s.TenantId, s.Email, s.Email, IsStaff: false)));
        }

        var preferences = await db.Recipients.AsNoTracking().Where(r => wanted.Contains(r.UserId)).ToDictionaryAsync(r => r.UserId, ct);
        var tenantIds = found.Where(f => f.TenantId is not null).Select(f => f.TenantId!.Value).Distinct().ToArray();
        var tenants = await db.KnownTenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        return [.. found.Where(f => f.Email.Length > 0).Select(f =>
        {
            var tenant = f.TenantId is { } t && tenants.TryGetValue(t, out var known) ? known : null;
            var preference = preferences.GetValueOrDefault(f.Id);
            var language = preference?.Language ?? (f.IsStaff ? "en" : Notifications.DefaultLanguageFor(tenant?.Country));
            return new Reader(f.Id, f.Email, f.DisplayName, language, f.IsStaff, preference?.Muted ?? [], tenant?.TimeZone ?? "UTC");
        })];
    }

    /// <summary>The staff who work the tenant's tickets when nobody is assigned: active technicians who serve it.</summary>
    public async Task<List<Guid>> QueueStaffAsync(Guid tenantId, CancellationToken ct) =>
        (await db.KnownUsers.AsNoTracking().Where(u => u.TenantId == null && u.DeactivatedAt == null && u.Role == MspRoles.Technician).ToListAsync(ct))
            .Where(u => u.Serves(tenantId)).Select(u => u.Id).ToList();

    public async Task<List<Guid>> OperatorsAsync(CancellationToken ct) =>
        await db.KnownUsers.AsNoTracking().Where(u => u.TenantId == null && u.DeactivatedAt == null && u.Role == MspRoles.Operator).Select(u => u.Id).ToListAsync(ct);

    public async Task<List<Guid>> ClientAdminsAsync(Guid tenantId, CancellationToken ct) =>
        await db.KnownUsers.AsNoTracking().Where(u => u.TenantId == tenantId && u.DeactivatedAt == null && u.Role == MspRoles.ClientAdmin).Select(u => u.Id).ToListAsync(ct);

    public async Task<string> TenantNameAsync(Guid tenantId, CancellationToken ct) =>
        await db.KnownTenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "";

    /// <summary>Adds one delivery per reader who wants <paramref name="template"/> (essential ones always go), saved with
    /// the consumer's inbox row.</summary>
    public async Task AddAsync(
        Guid tenantId, Guid eventId, string template, IEnumerable<Reader> readers, Guid? ticketId, Func<Reader, Dictionary<string, string>> model,
        CancellationToken ct, DateTimeOffset? notBefore = null)
    {
        foreach (var reader in readers.DistinctBy(r => r.Email.ToLowerInvariant()))
        {
            if (!Notifications.Essential.Contains(template) && reader.Muted.Contains(template))
            {
                continue;
            }

            await AddAsync(tenantId, eventId, template, new Recipient(reader.Email, reader.Language, reader.UserId, reader.Name), ticketId, model(reader), ct, notBefore);
        }
    }

    public async Task AddAsync(
        Guid tenantId, Guid eventId, string template, Recipient recipient, Guid? ticketId, Dictionary<string, string> model, CancellationToken ct,
        DateTimeOffset? notBefore = null)
    {
        var email = recipient.Email.Trim().ToLowerInvariant();
        if (await db.Deliveries.AnyAsync(d => d.EventId == eventId && d.Recipient == email, ct))
        {
            return; // once per event and recipient, whoever else asked for it
        }

        model.TryAdd("name", recipient.Name ?? recipient.Email);
        db.Deliveries.Add(Delivery.For(tenantId, eventId, recipient, template, ticketId, model, Domain, clock.GetUtcNow(), notBefore));
        signal.Wake();
    }

    public string Domain => Options.SupportAddress.Split('@') is [_, var domain] ? domain : "msp.local";

    public string Link(string path) => Options.PortalUrl.TrimEnd('/') + path;

    /// <summary>An instant as the reader reads it: in their time zone, formatted for their language.</summary>
    public static string Format(DateTimeOffset instant, Reader reader) => Format(instant, reader.Language, reader.TimeZone);

    public static string Format(DateTimeOffset instant, string language, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var culture = CultureInfo.GetCultureInfo(language switch { "fr" => "fr-FR", "it" => "it-IT", _ => "en-GB" });
        return local.ToString("f", culture) + " (" + (zone == TimeZoneInfo.Utc ? "UTC" : timeZone) + ")";
    }
}

/// <summary>Wakes the sender when a delivery was written, so that mail leaves at once instead of at the next poll.</summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // already awake
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => wake.WaitAsync(timeout, ct);
}

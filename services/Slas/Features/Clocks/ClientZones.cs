using Microsoft.EntityFrameworkCore;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Clocks;

/// <summary>The time zones of the clients whose tickets are counted on a calendar that follows the client
/// (<see cref="SlaCalendar.ClientZone"/>), read once per batch; and each ticket's calendars built once per zone.</summary>
public sealed class ClientZones
{
    private readonly Dictionary<Guid, string> zones;
    private readonly Dictionary<(Guid Calendar, string? Zone), BusinessCalendar> built = [];

    private ClientZones(Dictionary<Guid, string> zones) => this.zones = zones;

    public static async Task<ClientZones> OfAsync(SlasDb db, IEnumerable<SlaCalendar> calendars, IEnumerable<Guid> tenants, CancellationToken ct)
    {
        if (!calendars.Any(c => c.FollowsClient))
        {
            return new ClientZones([]);
        }

        var ids = tenants.Distinct().ToArray();
        return new ClientZones(await db.KnownTenants.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.TimeZone, ct));
    }

    /// <summary>The calendar a clock of <paramref name="tenantId"/> counts on: its policy's (in the client's zone when the
    /// calendar follows the client), or around the clock when it names none.</summary>
    public Func<Guid?, BusinessCalendar> Calendars(IReadOnlyDictionary<Guid, SlaCalendar> calendars, Guid tenantId) => id =>
    {
        if (id is not { } calendarId)
        {
            return BusinessCalendar.AroundTheClock;
        }

        var calendar = calendars[calendarId];
        var zone = calendar.FollowsClient ? zones.GetValueOrDefault(tenantId) : null;
        if (!built.TryGetValue((calendarId, zone), out var business))
        {
            built[(calendarId, zone)] = business = calendar.ToBusinessCalendar(zone);
        }

        return business;
    };
}

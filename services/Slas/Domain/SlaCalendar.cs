using NodaTime;
using NodaTime.Text;

namespace Msp.Slas.Domain;

/// <summary>Working hours on a day, as the API and the database write them: <c>{"day": "Monday", "start": "09:00",
/// "end": "18:00"}</c>. An end not after the start runs past midnight; start equal to end is the whole day.</summary>
public sealed record HoursEntry(string Day, string Start, string End);

/// <summary>A closed day: <c>{"date": "2026-12-25", "name": "Christmas", "recurring": true}</c>.</summary>
public sealed record HolidayEntry(string Date, string Name, bool Recurring);

/// <summary>A business calendar of the provider, reusable by any policy and any tenant.</summary>
public sealed class SlaCalendar
{
    public static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private SlaCalendar()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string TimeZone { get; private set; } = "";

    public bool AlwaysOpen { get; private set; }

    public List<HoursEntry> Hours { get; private set; } = [];

    public List<HolidayEntry> Holidays { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint RowVersion { get; private set; }

    public static SlaCalendar New(string name, string timeZone, bool alwaysOpen, IEnumerable<HoursEntry> hours, IEnumerable<HolidayEntry> holidays, DateTimeOffset now)
    {
        var calendar = new SlaCalendar { Id = Guid.CreateVersion7(), CreatedAt = now };
        calendar.Change(name, timeZone, alwaysOpen, hours, holidays, now);
        return calendar;
    }

    public void Change(string name, string timeZone, bool alwaysOpen, IEnumerable<HoursEntry> hours, IEnumerable<HolidayEntry> holidays, DateTimeOffset now)
    {
        Name = name;
        TimeZone = timeZone;
        AlwaysOpen = alwaysOpen;
        Hours = [.. hours];
        Holidays = [.. holidays];
        UpdatedAt = now;
    }

    /// <summary>The time zone of a calendar whose hours are each client's own: 09:00 is 09:00 where the client is (the
    /// tenant's time zone), so one calendar serves clients in every zone (decision 0115).</summary>
    public const string ClientZone = "client";

    public bool FollowsClient => TimeZone == ClientZone;

    /// <summary>The calendar's arithmetic for a ticket of a client in <paramref name="clientZone"/> (the tenant's IANA
    /// zone; used only when the calendar <see cref="FollowsClient"/>, UTC when unknown). The API checked every field (see
    /// <c>CalendarValidator</c>) before it was stored.</summary>
    public BusinessCalendar ToBusinessCalendar(string? clientZone) => new(
        FollowsClient ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(clientZone ?? "") ?? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[TimeZone],
        Hours.Select(h => new WorkingRange(Enum.Parse<IsoDayOfWeek>(h.Day, ignoreCase: true), TimePattern.Parse(h.Start).Value, TimePattern.Parse(h.End).Value)),
        Holidays.Select(h => new Holiday(LocalDatePattern.Iso.Parse(h.Date).Value, h.Recurring, h.Name)),
        AlwaysOpen);
}

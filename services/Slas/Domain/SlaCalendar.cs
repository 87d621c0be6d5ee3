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

    /// <summary>The calendar's arithmetic. The API checked every field (see <c>CalendarValidator</c>) before it was stored.</summary>
    public BusinessCalendar ToBusinessCalendar() => new(
        DateTimeZoneProviders.Tzdb[TimeZone],
        Hours.Select(h => new WorkingRange(Enum.Parse<IsoDayOfWeek>(h.Day, ignoreCase: true), TimePattern.Parse(h.Start).Value, TimePattern.Parse(h.End).Value)),
        Holidays.Select(h => new Holiday(LocalDatePattern.Iso.Parse(h.Date).Value, h.Recurring, h.Name)),
        AlwaysOpen);
}

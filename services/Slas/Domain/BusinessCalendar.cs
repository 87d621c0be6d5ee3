using NodaTime;
using NodaTime.TimeZones;

namespace Msp.Slas.Domain;

/// <summary>Working hours on one day of the week, in the calendar's local time. A range whose end is not after its
/// start runs past midnight into the next day (22:00-06:00); a range from a time to the same time is a whole day.
/// A range belongs to the day it starts on: a holiday closes the ranges that start on it.</summary>
public sealed record WorkingRange(IsoDayOfWeek Day, LocalTime Start, LocalTime End);

/// <summary>A day the calendar is closed: once (<see cref="Date"/>), or every year on its month and day.</summary>
public sealed record Holiday(LocalDate Date, bool Recurring, string Name)
{
    public bool Covers(LocalDate date) => Recurring ? date.Month == Date.Month && date.Day == Date.Day : date == Date;
}

/// <summary>An instant range of open business time, start inclusive, end exclusive.</summary>
public readonly record struct OpenTime(Instant Start, Instant End)
{
    public Duration Length => End - Start;
}

/// <summary>Business-time arithmetic in one calendar: when it opens next, how much business time lies between two
/// instants, and which instant lies a given amount of business time after another. Business time is real elapsed
/// time while the calendar is open, so a working range across a daylight-saving change counts the hours that
/// actually passed (a 00:00-06:00 range is 5 hours on a spring-forward night). Local times that do not exist (in
/// a spring-forward gap) move forward by the gap; local times that occur twice take the earlier occurrence.</summary>
public sealed class BusinessCalendar
{
    /// <summary>How many days in a row may have no working hours before the calendar is taken to have none at all.</summary>
    private const int MaxClosedDays = 800;

    private readonly ILookup<IsoDayOfWeek, WorkingRange> hoursByDay;

    public BusinessCalendar(DateTimeZone zone, IEnumerable<WorkingRange> hours, IEnumerable<Holiday> holidays, bool alwaysOpen = false)
    {
        Zone = zone;
        Hours = [.. hours.OrderBy(h => h.Day).ThenBy(h => h.Start)];
        Holidays = [.. holidays];
        AlwaysOpen = alwaysOpen;
        hoursByDay = Hours.ToLookup(h => h.Day);
        if (!alwaysOpen && Hours.Count == 0)
        {
            throw new ArgumentException("A calendar that is not open around the clock needs working hours.", nameof(hours));
        }
    }

    /// <summary>Open every minute of every day, holidays included: the calendar of a 24x7 target.</summary>
    public static BusinessCalendar AroundTheClock { get; } = new(DateTimeZone.Utc, [], [], alwaysOpen: true);

    public DateTimeZone Zone { get; }

    public IReadOnlyList<WorkingRange> Hours { get; }

    public IReadOnlyList<Holiday> Holidays { get; }

    public bool AlwaysOpen { get; }

    public bool IsHoliday(LocalDate date) => Holidays.Any(h => h.Covers(date));

    /// <summary>The first open instant at or after <paramref name="at"/>: a clock started out of hours starts here.</summary>
    public Instant NextOpen(Instant at) => OpenTimesFrom(at).First().Start;

    /// <summary>The business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public Duration Between(Instant from, Instant to)
    {
        var total = Duration.Zero;
        if (to <= from)
        {
            return total;
        }

        foreach (var open in OpenTimesFrom(from))
        {
            if (open.Start >= to)
            {
                break;
            }

            total += (open.End < to ? open.End : to) - open.Start;
        }

        return total;
    }

    /// <summary>The instant at which <paramref name="amount"/> of business time has passed since <paramref name="from"/>.
    /// A zero amount is <paramref name="from"/> itself; an amount that ends exactly at closing time ends at closing time.</summary>
    public Instant Add(Instant from, Duration amount)
    {
        if (amount <= Duration.Zero)
        {
            return from;
        }

        var left = amount;
        foreach (var open in OpenTimesFrom(from))
        {
            if (open.Length >= left)
            {
                return open.Start + left;
            }

            left -= open.Length;
        }

        throw new InvalidOperationException("Unreachable: the open times of a calendar never end.");
    }

    /// <summary>The calendar's open times that end after <paramref name="from"/>, in order, overlapping
    /// ranges cut so that no moment is in two of them, the first one cut to start no earlier than <paramref name="from"/>.</summary>
    public IEnumerable<OpenTime> OpenTimesFrom(Instant from)
    {
        if (AlwaysOpen)
        {
            yield return new OpenTime(from, Instant.MaxValue);
            yield break;
        }

        // The day before may hold a range that runs past midnight into the day of 'from'. Ranges start in order,
        // so cutting each one to begin where the previous ended is enough to never count a moment twice.
        var date = from.InZone(Zone).Date.PlusDays(-1);
        var counted = from;
        var closedDays = 0;
        while (true)
        {
            var any = false;
            foreach (var range in OpenTimesOn(date))
            {
                any = true;
                if (range.End > counted)
                {
                    yield return range with { Start = range.Start > counted ? range.Start : counted };
                    counted = range.End;
                }
            }

            closedDays = any ? 0 : closedDays + 1;
            if (closedDays > MaxClosedDays)
            {
                throw new InvalidOperationException($"The calendar is closed for more than {MaxClosedDays} days in a row.");
            }

            date = date.PlusDays(1);
        }
    }

    /// <summary>The ranges that start on <paramref name="date"/>, as instants, in order of start.</summary>
    private IEnumerable<OpenTime> OpenTimesOn(LocalDate date)
    {
        if (IsHoliday(date))
        {
            yield break;
        }

        foreach (var range in hoursByDay[date.DayOfWeek])
        {
            var start = date + range.Start;
            var end = (range.End > range.Start ? date : date.PlusDays(1)) + range.End;
            var from = Resolve(start);
            var to = Resolve(end);
            if (to > from)
            {
                yield return new OpenTime(from, to);
            }
        }
    }

    private Instant Resolve(LocalDateTime local) => Zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant();
}

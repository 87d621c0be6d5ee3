using Msp.Slas.Domain;
using NodaTime;
using NodaTime.Text;

namespace Msp.Slas.Tests.Domain;

/// <summary>The business-time arithmetic, case by case. Times are written in the calendar's local time ("2026-11-20
/// 17:55"); where the wall clock is ambiguous the case names the offset.</summary>
public sealed class BusinessCalendarTests
{
    private static readonly IsoDayOfWeek[] Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    private static readonly IsoDayOfWeek[] EveryDay = [.. Weekdays, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    private static BusinessCalendar Calendar(string zone, string hours, IsoDayOfWeek[] days, params Holiday[] holidays) =>
        new(DateTimeZoneProviders.Tzdb[zone],
            days.SelectMany(d => hours.Split(',').Select(r => new WorkingRange(d, Time(r.Split('-')[0]), Time(r.Split('-')[1])))),
            holidays);

    private static BusinessCalendar Office(string zone = "Europe/Paris", params Holiday[] holidays) => Calendar(zone, "09:00-18:00", Weekdays, holidays);

    private static LocalTime Time(string text) => LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text).Value;

    private static Instant Local(BusinessCalendar calendar, string text) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm").Parse(text).Value.InZoneLeniently(calendar.Zone).ToInstant();

    private static string Show(BusinessCalendar calendar, Instant instant) =>
        instant.InZone(calendar.Zone).ToString("uuuu-MM-dd HH:mm o<+HH>", null);

    private static Holiday Once(string date) => new(LocalDatePattern.Iso.Parse(date).Value, false, "Holiday");

    private static Holiday Yearly(string date) => new(LocalDatePattern.Iso.Parse(date).Value, true, "Holiday");

    public static TheoryData<string, string, string, int, string> Deadlines => new()
    {
        // case, calendar, start (local), target minutes, due (local with offset)
        { "Friday 17:55 + 30 min rolls over the weekend", "office", "2026-11-20 17:55", 30, "2026-11-23 09:25 +01" },
        { "... to Tuesday when that Monday is a holiday", "office+monday-holiday", "2026-11-20 17:55", 30, "2026-11-24 09:25 +01" },
        { "a yearly holiday recurs in another year", "office+christmas", "2026-12-24 17:00", 120, "2026-12-28 10:00 +01" },
        { "opened on Saturday starts Monday at opening", "office", "2026-11-21 10:00", 60, "2026-11-23 10:00 +01" },
        { "ends exactly at closing time", "office", "2026-11-23 17:00", 60, "2026-11-23 18:00 +01" },
        { "a target of two working weeks", "office", "2026-11-23 09:00", 10 * 540, "2026-12-04 18:00 +01" },
        { "a target of zero is due at once", "office", "2026-11-23 11:00", 0, "2026-11-23 11:00 +01" },
        { "a lunch break between two ranges", "split", "2026-11-23 11:50", 20, "2026-11-23 13:10 +01" },
        { "a night shift across midnight", "nights", "2026-11-23 05:50", 30, "2026-11-23 22:20 +01" },
        { "a night shift runs into a holiday it started before", "nights+holiday-tuesday", "2026-11-23 23:00", 500, "2026-11-25 23:20 +01" },
        { "Paris spring-forward: 24 hours of a whole-day calendar", "paris-days", "2026-03-28 12:00", 24 * 60, "2026-03-29 13:00 +02" },
        { "Paris fall-back: 24 hours of a whole-day calendar", "paris-days", "2026-10-24 12:00", 24 * 60, "2026-10-25 11:00 +01" },
        { "Paris spring-forward: office hours are untouched", "paris-office-weekend", "2026-03-28 17:00", 120, "2026-03-29 10:00 +02" },
        { "New York spring-forward inside the night range", "ny-early", "2026-03-08 01:00", 150, "2026-03-09 01:30 -04" },
        { "New York fall-back inside the night range", "ny-early", "2026-11-01 01:00", 210, "2026-11-01 03:30 -05" },
        { "24x7 ignores weekends and holidays", "24x7", "2026-11-20 17:55", 60, "2026-11-20 18:55 +00" },
    };

    private static BusinessCalendar Named(string name) => name switch
    {
        "office" => Office(),
        "office+monday-holiday" => Office(holidays: Once("2026-11-23")),
        "office+christmas" => Office(holidays: Yearly("2020-12-25")),
        "split" => Calendar("Europe/Paris", "09:00-12:00,13:00-17:00", Weekdays),
        "nights" => Calendar("Europe/Paris", "22:00-06:00", EveryDay),
        "nights+holiday-tuesday" => Calendar("Europe/Paris", "22:00-06:00", EveryDay, Once("2026-11-24")),
        "paris-days" => Calendar("Europe/Paris", "00:00-00:00", EveryDay),
        "paris-office-weekend" => Calendar("Europe/Paris", "09:00-18:00", EveryDay),
        "ny-early" => Calendar("America/New_York", "01:00-04:00", EveryDay),
        "24x7" => BusinessCalendar.AroundTheClock,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Deadlines))]
    public void TheDueInstant_IsTheTargetAddedInBusinessTime(string because, string calendarName, string start, int minutes, string due)
    {
        var calendar = Named(calendarName);
        var from = calendar.NextOpen(Local(calendar, start));

        var deadline = calendar.Add(from, Duration.FromMinutes(minutes));

        Show(calendar, deadline).ShouldBe(due, because);
        calendar.Between(from, deadline).ShouldBe(Duration.FromMinutes(minutes), "the business time back to the start is the target");
    }

    public static TheoryData<string, string, string, string, int> Spans => new()
    {
        // case, calendar, from (local), to (local), business minutes between
        { "Friday 17:00 to Monday 10:00", "office", "2026-11-20 17:00", "2026-11-23 10:00", 120 },
        { "a whole weekend is closed", "office", "2026-11-21 08:00", "2026-11-22 20:00", 0 },
        { "a holiday is closed", "office+monday-holiday", "2026-11-23 08:00", "2026-11-23 20:00", 0 },
        { "backwards is nothing", "office", "2026-11-23 12:00", "2026-11-23 10:00", 0 },
        { "Paris spring-forward day has 23 hours", "paris-days", "2026-03-29 00:00", "2026-03-30 00:00", 23 * 60 },
        { "Paris fall-back day has 25 hours", "paris-days", "2026-10-25 00:00", "2026-10-26 00:00", 25 * 60 },
        { "New York 01:00-04:00 on spring-forward is 2 hours", "ny-early", "2026-03-08 00:00", "2026-03-08 12:00", 120 },
        { "New York 01:00-04:00 on fall-back is 4 hours", "ny-early", "2026-11-01 00:00", "2026-11-01 12:00", 240 },
        { "two ranges a day", "split", "2026-11-23 00:00", "2026-11-24 00:00", 7 * 60 },
        { "a night range is counted across midnight", "nights", "2026-11-23 23:00", "2026-11-24 01:00", 120 },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void TheBusinessTimeBetweenTwoInstants_CountsOnlyOpenTime(string because, string calendarName, string from, string to, int minutes)
    {
        var calendar = Named(calendarName);

        calendar.Between(Local(calendar, from), Local(calendar, to)).ShouldBe(Duration.FromMinutes(minutes), because);
    }

    [Fact]
    public void ACalendarWithoutHours_IsRefused_UnlessItIsAroundTheClock() =>
        Should.Throw<ArgumentException>(() => new BusinessCalendar(DateTimeZone.Utc, [], []));

    [Fact]
    public void ACalendarClosedForYears_SaysSo_RatherThanSearchingForever()
    {
        var calendar = Calendar("UTC", "09:00-17:00", [IsoDayOfWeek.Monday],
            [.. Enumerable.Range(0, 1000).Select(w => Once(new LocalDate(2026, 11, 23).PlusWeeks(w).ToString("uuuu-MM-dd", null)))]);

        Should.Throw<InvalidOperationException>(() => calendar.NextOpen(Instant.FromUtc(2026, 11, 22, 0, 0)));
    }
}

using System.Globalization;
using Microsoft.Extensions.Localization;
using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Slas;

/// <summary>What the SLA pages share: the priorities and days in the order shown, and how a calendar is summed up.</summary>
public static class SlaForms
{
    public static readonly string[] Priorities = ["P1", "P2", "P3", "P4"];

    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The time zone a calendar counts in; <c>client</c> (decision 0115) said as a sentence.</summary>
    public static string ZoneName(string zone, IStringLocalizer<ConsoleText> console) => zone == "client" ? console["Slas.ClientZone"] : zone;

    public static string DayName(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day);

    /// <summary>"Monday–Friday 09:00–18:00"-like, per day with its ranges, or "around the clock".</summary>
    public static string HoursSummary(SlaCalendar calendar, IStringLocalizer<ConsoleText> console)
    {
        if (calendar.AlwaysOpen)
        {
            return console["Slas.AlwaysOpenShort"];
        }

        var days = Week.Select(day => (Day: day, Ranges: string.Join(", ", calendar.Hours
                .Where(h => h.Day.Equals(day.ToString(), StringComparison.OrdinalIgnoreCase)).Select(h => $"{h.Start}–{h.End}"))))
            .Where(d => d.Ranges.Length > 0).ToList();
        var groups = new List<string>();
        for (var i = 0; i < days.Count;)
        {
            var j = i;
            while (j + 1 < days.Count && days[j + 1].Ranges == days[i].Ranges && (int)days[j + 1].Day == ((int)days[j].Day + 1) % 7)
            {
                j++;
            }

            var label = i == j ? Short(days[i].Day) : $"{Short(days[i].Day)}–{Short(days[j].Day)}";
            groups.Add($"{label} {days[i].Ranges}");
            i = j + 1;
        }

        return string.Join("; ", groups);

        static string Short(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedDayName(day);
    }
}

/// <summary>A calendar's form as posted: a week of up to <see cref="RangesPerDay"/> ranges a day, and closed days.</summary>
public sealed class CalendarForm
{
    public const int RangesPerDay = 3;

    /// <summary>Blank rows under the closed days, to add new ones.</summary>
    public const int BlankHolidays = 3;

    public string? ETag { get; set; }

    public string? Name { get; set; }

    public string? TimeZone { get; set; }

    public bool AlwaysOpen { get; set; }

    /// <summary>Index <c>day * RangesPerDay + slot</c>, days from Monday.</summary>
    public List<RangeForm> Ranges { get; set; } = [];

    public List<HolidayForm> Holidays { get; set; } = [];

    public static CalendarForm New()
    {
        var form = new CalendarForm { TimeZone = "client" };
        foreach (var day in SlaForms.Week.Take(5))
        {
            form.Ranges.Add(new RangeForm { Start = "09:00", End = "17:00" });
            form.Ranges.AddRange(Enumerable.Range(1, RangesPerDay - 1).Select(_ => new RangeForm()));
        }

        return form.Complete();
    }

    public static CalendarForm From(SlaCalendar calendar, string? etag)
    {
        var form = new CalendarForm { ETag = etag, Name = calendar.Name, TimeZone = calendar.TimeZone, AlwaysOpen = calendar.AlwaysOpen };
        foreach (var day in SlaForms.Week)
        {
            var ranges = calendar.Hours.Where(h => h.Day.Equals(day.ToString(), StringComparison.OrdinalIgnoreCase)).Take(RangesPerDay).ToList();
            form.Ranges.AddRange(ranges.Select(h => new RangeForm { Start = h.Start, End = h.End }));
            form.Ranges.AddRange(Enumerable.Range(0, RangesPerDay - ranges.Count).Select(_ => new RangeForm()));
        }

        form.Holidays.AddRange(calendar.Holidays.Select(h => new HolidayForm { Date = h.Date, Name = h.Name, Recurring = h.Recurring }));
        return form.Complete();
    }

    /// <summary>Makes every day's ranges present (a post leaves out nothing, but a crafted one may) and the blank rows.</summary>
    public CalendarForm Complete()
    {
        while (Ranges.Count < SlaForms.Week.Length * RangesPerDay)
        {
            Ranges.Add(new RangeForm());
        }

        Holidays.RemoveAll(h => h.IsBlank);
        Holidays.AddRange(Enumerable.Range(0, BlankHolidays).Select(_ => new HolidayForm()));
        return this;
    }

    public static DayOfWeek DayOf(int range) => SlaForms.Week[range / RangesPerDay];

    /// <summary>What the API is sent, and for each range and closed day the index it was sent at (so that the API's
    /// <c>hours[3].start</c> is shown beside the field it is about).</summary>
    public (SlaCalendarDetails Details, Dictionary<int, int> SentRanges, Dictionary<int, int> SentHolidays) ToDetails()
    {
        var hours = new List<SlaHours>();
        var sentRanges = new Dictionary<int, int>();
        for (var i = 0; i < Ranges.Count && i < SlaForms.Week.Length * RangesPerDay; i++)
        {
            if (!Ranges[i].IsBlank && !AlwaysOpen)
            {
                sentRanges[i] = hours.Count;
                hours.Add(new SlaHours(DayOf(i).ToString(), Ranges[i].Start?.Trim() ?? "", Ranges[i].End?.Trim() ?? ""));
            }
        }

        var holidays = new List<SlaHoliday>();
        var sentHolidays = new Dictionary<int, int>();
        for (var i = 0; i < Holidays.Count; i++)
        {
            if (!Holidays[i].IsBlank && !Holidays[i].Remove)
            {
                sentHolidays[i] = holidays.Count;
                holidays.Add(new SlaHoliday(Holidays[i].Date?.Trim() ?? "", Holidays[i].Name?.Trim() ?? "", Holidays[i].Recurring));
            }
        }

        return (new SlaCalendarDetails(Name?.Trim() ?? "", TimeZone?.Trim() ?? "", AlwaysOpen, hours, holidays), sentRanges, sentHolidays);
    }
}

public sealed class RangeForm
{
    public string? Start { get; set; }

    public string? End { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Start) && string.IsNullOrWhiteSpace(End);
}

public sealed class HolidayForm
{
    public string? Date { get; set; }

    public string? Name { get; set; }

    public bool Recurring { get; set; }

    public bool Remove { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Date) && string.IsNullOrWhiteSpace(Name);
}

/// <summary>A policy's form as posted: one row of targets per priority, in <see cref="SlaForms.Priorities"/> order.</summary>
public sealed class PolicyForm
{
    public string? ETag { get; set; }

    public string? Name { get; set; }

    public Guid? CalendarId { get; set; }

    public int? WarningPercent { get; set; }

    public bool IsDefault { get; set; }

    public List<TargetForm> Targets { get; set; } = [];

    public static PolicyForm New(Guid? calendarId) => new()
    {
        CalendarId = calendarId,
        WarningPercent = 75,
        Targets =
        [
            new() { FirstResponse = 30, Resolution = 240, AroundTheClock = true },
            new() { FirstResponse = 60, Resolution = 480 },
            new() { FirstResponse = 240, Resolution = 1440 },
            new() { FirstResponse = 480, Resolution = 2400 },
        ],
    };

    public static PolicyForm From(SlaPolicy policy, string? etag) => new()
    {
        ETag = etag,
        Name = policy.Name,
        CalendarId = policy.CalendarId,
        WarningPercent = policy.WarningPercent,
        IsDefault = policy.IsDefault,
        Targets = [.. SlaForms.Priorities.Select(p => policy.Targets.FirstOrDefault(t => t.Priority == p) is { } t
            ? new TargetForm { FirstResponse = t.FirstResponseMinutes, Resolution = t.ResolutionMinutes, AroundTheClock = t.AroundTheClock }
            : new TargetForm())],
    };

    public PolicyForm Complete()
    {
        while (Targets.Count < SlaForms.Priorities.Length)
        {
            Targets.Add(new TargetForm());
        }

        return this;
    }

    public SlaPolicyDetails ToDetails() => new(Name?.Trim() ?? "", CalendarId, WarningPercent, IsDefault,
        [.. SlaForms.Priorities.Select((p, i) => new SlaTarget(p, Targets[i].FirstResponse ?? -1, Targets[i].Resolution ?? -1, Targets[i].AroundTheClock))]);
}

public sealed class TargetForm
{
    public int? FirstResponse { get; set; }

    public int? Resolution { get; set; }

    public bool AroundTheClock { get; set; }
}

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

    /// <summary>The days that have hours, Monday first in week order (whatever order the API holds them in), each
    /// with its ranges as entered.</summary>
    public static IEnumerable<(DayOfWeek Day, IReadOnlyList<SlaHours> Ranges)> Days(SlaCalendar calendar) =>
        Week.Select(day => (day, (IReadOnlyList<SlaHours>)[.. calendar.Hours.Where(h => h.Day.Equals(day.ToString(), StringComparison.OrdinalIgnoreCase))]))
            .Where(d => d.Item2.Count > 0);

    /// <summary>"Monday–Friday 09:00–18:00"-like, per day with its ranges, or "around the clock".</summary>
    public static string HoursSummary(SlaCalendar calendar, IStringLocalizer<ConsoleText> console)
    {
        if (calendar.AlwaysOpen)
        {
            return console["Slas.AlwaysOpenShort"];
        }

        var days = Days(calendar).Select(d => (d.Day, Ranges: string.Join(", ", d.Ranges.Select(h => $"{h.Start}–{h.End}")))).ToList();
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

/// <summary>A calendar's form as posted: each day of the week (from Monday) with its ranges, and closed days.</summary>
public sealed class CalendarForm
{
    /// <summary>The ranges a day shows at the least; a day that uses them all shows one empty range more, so that
    /// every range the API holds is shown and one can always be added (the API allows any number a day).</summary>
    public const int RangesShown = 3;

    /// <summary>Blank rows under the closed days, to add new ones.</summary>
    public const int BlankHolidays = 3;

    public string? ETag { get; set; }

    public string? Name { get; set; }

    public string? TimeZone { get; set; }

    public bool AlwaysOpen { get; set; }

    /// <summary>One per day of <see cref="SlaForms.Week"/>, in its order.</summary>
    public List<DayForm> Days { get; set; } = [];

    public List<HolidayForm> Holidays { get; set; } = [];

    public static CalendarForm New()
    {
        var form = new CalendarForm { TimeZone = "client" };
        form.Days.AddRange(SlaForms.Week.Select((_, i) => new DayForm { Ranges = i < 5 ? [new RangeForm { Start = "09:00", End = "17:00" }] : [] }));
        return form.Complete();
    }

    public static CalendarForm From(SlaCalendar calendar, string? etag)
    {
        var form = new CalendarForm { ETag = etag, Name = calendar.Name, TimeZone = calendar.TimeZone, AlwaysOpen = calendar.AlwaysOpen };
        form.Days.AddRange(SlaForms.Week.Select(day => new DayForm
        {
            Ranges = [.. calendar.Hours.Where(h => h.Day.Equals(day.ToString(), StringComparison.OrdinalIgnoreCase)).Select(h => new RangeForm { Start = h.Start, End = h.End })],
        }));
        form.Holidays.AddRange(calendar.Holidays.Select(h => new HolidayForm { Date = h.Date, Name = h.Name, Recurring = h.Recurring }));
        return form.Complete();
    }

    /// <summary>Makes the seven days present (a post leaves out none, but a crafted one may), each with its empty ranges
    /// after the last one used, and the blank rows of closed days.</summary>
    public CalendarForm Complete()
    {
        if (Days.Count > SlaForms.Week.Length)
        {
            Days.RemoveRange(SlaForms.Week.Length, Days.Count - SlaForms.Week.Length);
        }

        while (Days.Count < SlaForms.Week.Length)
        {
            Days.Add(new DayForm());
        }

        foreach (var day in Days)
        {
            var used = day.Ranges.FindLastIndex(r => !r.IsBlank) + 1;
            var shown = Math.Max(RangesShown, used + 1);
            if (day.Ranges.Count > shown)
            {
                day.Ranges.RemoveRange(shown, day.Ranges.Count - shown);
            }

            while (day.Ranges.Count < shown)
            {
                day.Ranges.Add(new RangeForm());
            }
        }

        Holidays.RemoveAll(h => h.IsBlank);
        Holidays.AddRange(Enumerable.Range(0, BlankHolidays).Select(_ => new HolidayForm()));
        return this;
    }

    /// <summary>What the API is sent, and for each range (day, position) and closed day the index it was sent at (so
    /// that the API's <c>hours[3].start</c> is shown beside the field it is about). The hours are sent even when the
    /// calendar is open around the clock: the API keeps them (they count again once it is not), and so does the page.</summary>
    public (SlaCalendarDetails Details, Dictionary<(int Day, int Range), int> SentRanges, Dictionary<int, int> SentHolidays) ToDetails()
    {
        var hours = new List<SlaHours>();
        var sentRanges = new Dictionary<(int Day, int Range), int>();
        for (var day = 0; day < Days.Count && day < SlaForms.Week.Length; day++)
        {
            for (var range = 0; range < Days[day].Ranges.Count; range++)
            {
                var entry = Days[day].Ranges[range];
                if (!entry.IsBlank)
                {
                    sentRanges[(day, range)] = hours.Count;
                    hours.Add(new SlaHours(SlaForms.Week[day].ToString(), entry.Start?.Trim() ?? "", entry.End?.Trim() ?? ""));
                }
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

/// <summary>A day of a calendar's week: its ranges in the order entered.</summary>
public sealed class DayForm
{
    public List<RangeForm> Ranges { get; set; } = [];
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

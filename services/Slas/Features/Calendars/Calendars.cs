using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;
using NodaTime;
using NodaTime.Text;

namespace Msp.Slas.Features.Calendars;

public sealed record CalendarRequest(string? Name, string? TimeZone, bool AlwaysOpen, List<HoursEntry>? Hours, List<HolidayEntry>? Holidays);

public sealed record CalendarResponse(Guid Id, string Name, string TimeZone, bool AlwaysOpen, IReadOnlyList<HoursEntry> Hours, IReadOnlyList<HolidayEntry> Holidays, DateTimeOffset UpdatedAt)
{
    public static CalendarResponse From(SlaCalendar c) => new(c.Id, c.Name, c.TimeZone, c.AlwaysOpen, c.Hours, c.Holidays, c.UpdatedAt);
}

public sealed class CalendarValidator : AbstractValidator<CalendarRequest>
{
    private static readonly string[] Days = [.. Enum.GetNames<IsoDayOfWeek>().Where(d => d != nameof(IsoDayOfWeek.None))];

    public CalendarValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100).SingleLine();
        RuleFor(r => r.TimeZone).NotEmpty().WithMessage("TimeZone is required.")
            .Must(z => z is null || z == SlaCalendar.ClientZone || DateTimeZoneProviders.Tzdb.GetZoneOrNull(z) is not null)
            .WithMessage("TimeZone must be an IANA time zone, such as Europe/Paris, or \"client\" to count the hours in each client's own time zone.");
        RuleFor(r => r.Hours).NotEmpty().When(r => !r.AlwaysOpen)
            .WithMessage("Hours are required unless the calendar is open around the clock.");
        RuleFor(r => r.Hours).Must(h => h is null || h.Count <= 100).WithMessage("At most 100 ranges of hours.");
        RuleForEach(r => r.Hours).NotNull().WithMessage("A range of hours cannot be null.").ChildRules(h =>
        {
            h.RuleFor(x => x.Day).Must(d => Days.Contains(d, StringComparer.OrdinalIgnoreCase))
                .WithMessage($"Day is one of {string.Join(", ", Days)}.");
            h.RuleFor(x => x.Start).Must(IsTime).WithMessage("Start is a time of day as HH:mm.");
            h.RuleFor(x => x.End).Must(IsTime).WithMessage("End is a time of day as HH:mm.");
        });
        RuleFor(r => r.Holidays).Must(h => h is null || h.Count <= 1000).WithMessage("At most 1000 holidays.");
        RuleForEach(r => r.Holidays).NotNull().WithMessage("A holiday cannot be null.").ChildRules(h =>
        {
            h.RuleFor(x => x.Date).Must(d => d is not null && LocalDatePattern.Iso.Parse(d).Success).WithMessage("Date is a date as YYYY-MM-DD.");
            h.RuleFor(x => x.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100);
        });
    }

    private static bool IsTime(string? text) => text is not null && SlaCalendar.TimePattern.Parse(text).Success;
}

/// <summary>The provider's business calendars (Operators and Admins).</summary>
public static class Calendars
{
    public static RouteGroupBuilder MapCalendars(this RouteGroupBuilder group)
    {
        var calendars = group.MapGroup("/calendars").RequireAuthorization(MspPolicies.Operators);
        calendars.MapGet("/", List).WithName("ListCalendars");
        calendars.MapGet("/{id:guid}", Get).WithName("GetCalendar");
        calendars.MapPost("/", Create).Validate<CalendarRequest>().WithName("CreateCalendar");
        calendars.MapPut("/{id:guid}", Update).Validate<CalendarRequest>().WithName("UpdateCalendar");
        calendars.MapDelete("/{id:guid}", Delete).WithName("DeleteCalendar");
        return group;
    }

    public static async Task<Results<Ok<Page<CalendarResponse>>, ValidationProblem>> List(int? limit, string? cursor, SlasDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var rows = await db.Calendars.AsNoTracking().Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
            .OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(CalendarResponse.From).ToList().ToPage(take, c => (Guid?)c.Id));
    }

    public static async Task<Results<Ok<CalendarResponse>, NotFound>> Get(Guid id, SlasDb db, HttpContext http, CancellationToken ct)
    {
        var calendar = await db.Calendars.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = Preconditions.ETag(calendar.RowVersion);
        return TypedResults.Ok(CalendarResponse.From(calendar));
    }

    public static async Task<Results<Created<CalendarResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CalendarRequest request, SlasDb db, TimeProvider clock, CancellationToken ct)
    {
        var calendar = SlaCalendar.New(request.Name!.Trim(), request.TimeZone!, request.AlwaysOpen, request.Hours ?? [], request.Holidays ?? [], clock.GetUtcNow());
        db.Calendars.Add(calendar);
        if (await SaveAsync(db, calendar.Name, ct) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Created($"/api/slas/calendars/{calendar.Id}", CalendarResponse.From(calendar));
    }

    public static async Task<Results<Ok<CalendarResponse>, NotFound, ProblemHttpResult, ValidationProblem>> Update(
        Guid id, CalendarRequest request, SlasDb db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await db.Calendars.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null)
        {
            return TypedResults.NotFound();
        }

        if (Preconditions.IfMatchFails(http, Preconditions.ETag(calendar.RowVersion), "calendar") is { } stale)
        {
            return stale;
        }

        calendar.Change(request.Name!.Trim(), request.TimeZone!, request.AlwaysOpen, request.Hours ?? [], request.Holidays ?? [], clock.GetUtcNow());
        if (await SaveAsync(db, calendar.Name, ct) is { } conflict)
        {
            return conflict;
        }

        http.Response.Headers.ETag = Preconditions.ETag(calendar.RowVersion);
        return TypedResults.Ok(CalendarResponse.From(calendar));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, SlasDb db, CancellationToken ct)
    {
        var calendar = await db.Calendars.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null)
        {
            return TypedResults.NotFound();
        }

        // Only operators and admins get here, and their scope is every tenant: a calendar in use anywhere stays.
        if (await db.Policies.AnyAsync(p => p.CalendarId == id, ct) || await db.TenantSettings.AnyAsync(s => s.CalendarId == id, ct))
        {
            return Problems.Conflict("id", "The calendar is used by a policy or a tenant; move them to another calendar first.");
        }

        db.Calendars.Remove(calendar);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> SaveAsync(SlasDb db, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("sla_calendars_name_key"))
        {
            return Problems.Conflict("name", $"A calendar named '{name}' exists already.");
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("id", "The calendar was changed at the same time; read it again and retry.");
        }
    }
}

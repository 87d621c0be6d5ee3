using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.Contracts;
using Msp.Contracts.Slas;
using Msp.KnownParties;
using Msp.Messaging;
using Msp.Data;
using Msp.ServiceDefaults.Validation;
using Msp.Slas.Domain;
using Msp.Slas.Persistence;

namespace Msp.Slas.Features.Policies;

public sealed record PolicyRequest(string? Name, Guid? CalendarId, int? WarningPercent, bool IsDefault, List<PolicyTarget>? Targets);

public sealed record PolicyResponse(Guid Id, string Name, Guid CalendarId, int WarningPercent, bool IsDefault, IReadOnlyList<PolicyTarget> Targets, DateTimeOffset UpdatedAt)
{
    public static PolicyResponse From(SlaPolicy p) => new(p.Id, p.Name, p.CalendarId, p.WarningPercent, p.IsDefault, p.Targets, p.UpdatedAt);
}

public sealed class PolicyValidator : AbstractValidator<PolicyRequest>
{
    /// <summary>A year of minutes: a target longer than that is a typing error.</summary>
    public const int MaxMinutes = 366 * 24 * 60;

    public PolicyValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100).SingleLine();
        RuleFor(r => r.CalendarId).NotEmpty().WithMessage("CalendarId is required.");
        RuleFor(r => r.WarningPercent).InclusiveBetween(1, 99).WithMessage("WarningPercent is between 1 and 99.");
        RuleFor(r => r.Targets).NotNull().WithMessage("Targets are required.")
            .Must(t => t is null || (t.Count == SlaPolicy.Priorities.Length && SlaPolicy.Priorities.All(p => t.Count(x => x?.Priority == p) == 1)))
            .WithMessage($"Targets name each of {string.Join(", ", SlaPolicy.Priorities)} exactly once.");
        RuleForEach(r => r.Targets).NotNull().WithMessage("A target cannot be null.").ChildRules(t =>
        {
            t.RuleFor(x => x.FirstResponseMinutes).InclusiveBetween(0, MaxMinutes).WithMessage($"FirstResponseMinutes is between 0 and {MaxMinutes}.");
            t.RuleFor(x => x.ResolutionMinutes).InclusiveBetween(0, MaxMinutes).WithMessage($"ResolutionMinutes is between 0 and {MaxMinutes}.");
        });
    }
}

/// <summary>The provider's SLA policies (Operators and Admins). One is the default, for tenants that name none.</summary>
public static class Policies
{
    public const int DefaultWarningPercent = 75;

    public static RouteGroupBuilder MapPolicies(this RouteGroupBuilder group)
    {
        var policies = group.MapGroup("/policies").RequireAuthorization(MspPolicies.Operators);
        policies.MapGet("/", List).WithName("ListPolicies");
        policies.MapGet("/{id:guid}", Get).WithName("GetPolicy");
        policies.MapPost("/", Create).Validate<PolicyRequest>().WithName("CreatePolicy");
        policies.MapPut("/{id:guid}", Update).Validate<PolicyRequest>().WithName("UpdatePolicy");
        policies.MapDelete("/{id:guid}", Delete).WithName("DeletePolicy");
        return group;
    }

    public static async Task<Results<Ok<Page<PolicyResponse>>, ValidationProblem>> List(int? limit, string? cursor, SlasDb db, CancellationToken ct)
    {
        if (!Paging.TryRead<Guid?>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var rows = await db.Policies.AsNoTracking().Where(p => after == null || p.Id.CompareTo(after.Value) > 0)
            .OrderBy(p => p.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(PolicyResponse.From).ToList().ToPage(take, p => (Guid?)p.Id));
    }

    public static async Task<Results<Ok<PolicyResponse>, NotFound>> Get(Guid id, SlasDb db, HttpContext http, CancellationToken ct)
    {
        var policy = await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = Preconditions.ETag(policy.RowVersion);
        return TypedResults.Ok(PolicyResponse.From(policy));
    }

    public static async Task<Results<Created<PolicyResponse>, ProblemHttpResult, ValidationProblem>> Create(
        PolicyRequest request, SlasDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!await db.Calendars.AnyAsync(c => c.Id == request.CalendarId, ct))
        {
            return Problems.Invalid("calendarId", "No calendar has this id.");
        }

        var now = clock.GetUtcNow();
        var policy = SlaPolicy.New(request.Name!.Trim(), request.CalendarId!.Value, request.WarningPercent ?? DefaultWarningPercent, request.Targets!, now);
        db.Policies.Add(policy);
        db.PublishOnSave(new SlaPolicyCreated
        {
            EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = now, PolicyId = policy.Id, Name = policy.Name,
        }, http.TraceIdentifier);
        if (await SaveAsync(db, policy, request.IsDefault, now, ct) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Created($"/api/slas/policies/{policy.Id}", PolicyResponse.From(policy));
    }

    public static async Task<Results<Ok<PolicyResponse>, NotFound, ProblemHttpResult, ValidationProblem>> Update(
        Guid id, PolicyRequest request, SlasDb db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var policy = await db.Policies.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null)
        {
            return TypedResults.NotFound();
        }

        if (Preconditions.IfMatchFails(http, Preconditions.ETag(policy.RowVersion), "policy") is { } stale)
        {
            return stale;
        }

        if (!await db.Calendars.AnyAsync(c => c.Id == request.CalendarId, ct))
        {
            return Problems.Invalid("calendarId", "No calendar has this id.");
        }

        if (policy.IsDefault && !request.IsDefault)
        {
            return Problems.Conflict("isDefault", "There is always a default policy: make another one the default instead.");
        }

        var now = clock.GetUtcNow();
        policy.Change(request.Name!.Trim(), request.CalendarId!.Value, request.WarningPercent ?? DefaultWarningPercent, request.Targets!, now);
        db.PublishOnSave(new SlaPolicyChanged
        {
            EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = now, PolicyId = policy.Id, Name = policy.Name,
        }, http.TraceIdentifier);
        if (await SaveAsync(db, policy, request.IsDefault, now, ct) is { } conflict)
        {
            return conflict;
        }

        http.Response.Headers.ETag = Preconditions.ETag(policy.RowVersion);
        return TypedResults.Ok(PolicyResponse.From(policy));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(
        Guid id, SlasDb db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var policy = await db.Policies.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null)
        {
            return TypedResults.NotFound();
        }

        // Only operators and admins get here, and their scope is every tenant: a policy in use anywhere stays.
        if (policy.IsDefault || await db.TenantSettings.AnyAsync(s => s.PolicyId == id, ct))
        {
            return Problems.Conflict("id", policy.IsDefault
                ? "The default policy cannot be deleted; make another one the default first."
                : "Tenants are on this policy; move them to another policy first.");
        }

        db.Policies.Remove(policy);
        db.PublishOnSave(new SlaPolicyDeleted { EventId = EventIds.New(), TenantId = Provider.TenantId, OccurredAt = clock.GetUtcNow(), PolicyId = id },
            http.TraceIdentifier);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Saves, moving the default to <paramref name="policy"/> in the same transaction when asked.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(SlasDb db, SlaPolicy policy, bool makeDefault, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (makeDefault && !policy.IsDefault)
            {
                await db.Database.ExecuteSqlAsync($"UPDATE sla_policies SET is_default = false, updated_at = {now} WHERE is_default", ct);
                policy.MakeDefault(true, now);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("sla_policies_name_key"))
        {
            return Problems.Conflict("name", $"A policy named '{policy.Name}' exists already.");
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("sla_policies_one_default") || e is DbUpdateConcurrencyException)
        {
            return Problems.Conflict("id", "The policies were changed at the same time; read them again and retry.");
        }
    }
}

using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.Data;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.ServiceDefaults.Validation;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.Lists;

public sealed record CategoryRequest(string? Key, string? Name);

public sealed partial class CategoryValidator : AbstractValidator<CategoryRequest>
{
    public CategoryValidator()
    {
        RuleFor(r => r.Key).NotEmpty().WithMessage("Key is required.").Matches(KeyPattern()).WithMessage("Key is 2-50 lowercase letters, digits or dashes.");
        RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100).SingleLine();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex KeyPattern();
}

public sealed record QueueRequest(string? Name);

public sealed class QueueValidator : AbstractValidator<QueueRequest>
{
    public QueueValidator() => RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100).SingleLine();
}

/// <summary>A change of a category or a queue: a new name, and/or retired (true) or reinstated (false).</summary>
public sealed record ListEntryChange(string? Name, bool? Retired);

public sealed class ListEntryChangeValidator : AbstractValidator<ListEntryChange>
{
    public ListEntryChangeValidator()
    {
        RuleFor(r => r.Name).Must(n => n is null || n.Trim().Length > 0).WithMessage("Name cannot be empty.").MaximumLength(100).SingleLine();
        RuleFor(r => r).Must(r => r.Name is not null || r.Retired is not null).WithMessage("Send a new name, retired, or both.").OverridePropertyName("body");
    }
}

public sealed record CategoryResponse(string Key, string Name, bool Retired)
{
    public static CategoryResponse From(TicketCategory c) => new(c.Key, c.Name, !c.IsActive);
}

public sealed record QueueResponse(Guid Id, string Name, bool Retired)
{
    public static QueueResponse From(TicketQueue q) => new(q.Id, q.Name, !q.IsActive);
}

/// <summary>The provider's categories and queues, shared by every tenant: everyone reads them, operators add, rename,
/// retire and reinstate them. A retired one stays on the tickets that have it and is listed with
/// <c>includeRetired=true</c>, but no ticket can be given it any more (400 naming <c>category</c> or <c>queueId</c>).</summary>
public static class Lists
{
    public static RouteGroupBuilder MapLists(this RouteGroupBuilder group)
    {
        group.MapGet("/categories", ListCategories).WithName("ListCategories");
        group.MapPost("/categories", AddCategory).Validate<CategoryRequest>().RequireAuthorization(MspPolicies.Operators).WithName("AddCategory");
        group.MapPatch("/categories/{key}", ChangeCategory).Validate<ListEntryChange>().RequireAuthorization(MspPolicies.Operators).WithName("ChangeCategory");
        group.MapGet("/queues", ListQueues).WithName("ListQueues");
        group.MapPost("/queues", AddQueue).Validate<QueueRequest>().RequireAuthorization(MspPolicies.Operators).WithName("AddQueue");
        group.MapPatch("/queues/{queueId:guid}", ChangeQueue).Validate<ListEntryChange>().RequireAuthorization(MspPolicies.Operators).WithName("ChangeQueue");
        return group;
    }

    public static async Task<Ok<List<CategoryResponse>>> ListCategories(TicketsDb db, CancellationToken ct, bool includeRetired = false) =>
        TypedResults.Ok(await db.Categories.AsNoTracking().Where(c => includeRetired || c.IsActive).OrderBy(c => c.Name)
            .Select(c => new CategoryResponse(c.Key, c.Name, !c.IsActive)).ToListAsync(ct));

    public static async Task<Ok<List<QueueResponse>>> ListQueues(TicketsDb db, CancellationToken ct, bool includeRetired = false) =>
        TypedResults.Ok(await db.Queues.AsNoTracking().Where(q => includeRetired || q.IsActive).OrderBy(q => q.Name)
            .Select(q => new QueueResponse(q.Id, q.Name, !q.IsActive)).ToListAsync(ct));

    public static async Task<Results<Created<CategoryResponse>, ProblemHttpResult>> AddCategory(
        CategoryRequest request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Categories.AnyAsync(c => c.Key == request.Key, ct))
        {
            return Problems.Conflict("key", $"The category '{request.Key}' exists already.");
        }

        var category = TicketCategory.New(request.Key!, request.Name!.Trim(), clock.GetUtcNow());
        db.Categories.Add(category);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_categories_pkey"))
        {
            return Problems.Conflict("key", $"The category '{request.Key}' exists already.");
        }

        return TypedResults.Created($"/api/tickets/categories/{category.Key}", CategoryResponse.From(category));
    }

    public static async Task<Results<Ok<CategoryResponse>, NotFound>> ChangeCategory(
        string key, ListEntryChange request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Categories.FirstOrDefaultAsync(c => c.Key == key, ct) is not { } category)
        {
            return TypedResults.NotFound();
        }

        category.Change(request.Name?.Trim(), request.Retired, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CategoryResponse.From(category));
    }

    public static async Task<Results<Created<QueueResponse>, ProblemHttpResult>> AddQueue(
        QueueRequest request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name!.Trim();
        if (await NameTakenAsync(db, name, null, ct))
        {
            return QueueNameTaken(name);
        }

        var queue = TicketQueue.New(name, clock.GetUtcNow());
        db.Queues.Add(queue);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_queues_name_key") || e.IsUniqueViolation("ticket_queues_name_folded"))
        {
            return QueueNameTaken(name);
        }

        return TypedResults.Created($"/api/tickets/queues/{queue.Id}", QueueResponse.From(queue));
    }

    public static async Task<Results<Ok<QueueResponse>, NotFound, ProblemHttpResult>> ChangeQueue(
        Guid queueId, ListEntryChange request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Queues.FirstOrDefaultAsync(q => q.Id == queueId, ct) is not { } queue)
        {
            return TypedResults.NotFound();
        }

        var name = request.Name?.Trim();
        if (name is not null && await NameTakenAsync(db, name, queueId, ct))
        {
            return QueueNameTaken(name);
        }

        queue.Change(name, request.Retired, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_queues_name_key") || e.IsUniqueViolation("ticket_queues_name_folded"))
        {
            return QueueNameTaken(name!);
        }

        return TypedResults.Ok(QueueResponse.From(queue));
    }

    private static Task<bool> NameTakenAsync(TicketsDb db, string name, Guid? other, CancellationToken ct) =>
        db.Queues.AnyAsync(q => q.Name.ToLower() == name.ToLower() && q.Id != other, ct);

    private static ProblemHttpResult QueueNameTaken(string name) => Problems.Conflict("name", $"The queue '{name}' exists already.");
}

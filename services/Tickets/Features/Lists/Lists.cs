using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;
using Msp.ServiceDefaults.Identity;
using Msp.KnownParties;
using Msp.Data;
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
        RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex KeyPattern();
}

public sealed record QueueRequest(string? Name);

public sealed class QueueValidator : AbstractValidator<QueueRequest>
{
    public QueueValidator() => RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100);
}

public sealed record CategoryResponse(string Key, string Name);

public sealed record QueueResponse(Guid Id, string Name);

/// <summary>The provider's categories and queues: everyone reads them, operators add to them.</summary>
public static class Lists
{
    public static RouteGroupBuilder MapLists(this RouteGroupBuilder group)
    {
        group.MapGet("/categories", async (TicketsDb db, CancellationToken ct) => TypedResults.Ok(
            await db.Categories.Where(c => c.IsActive).OrderBy(c => c.Name).Select(c => new CategoryResponse(c.Key, c.Name)).ToListAsync(ct)))
            .WithName("ListCategories");
        group.MapPost("/categories", AddCategory).Validate<CategoryRequest>().RequireAuthorization(MspPolicies.Operators).WithName("AddCategory");
        group.MapGet("/queues", async (TicketsDb db, CancellationToken ct) => TypedResults.Ok(
            await db.Queues.OrderBy(q => q.Name).Select(q => new QueueResponse(q.Id, q.Name)).ToListAsync(ct)))
            .WithName("ListQueues");
        group.MapPost("/queues", AddQueue).Validate<QueueRequest>().RequireAuthorization(MspPolicies.Operators).WithName("AddQueue");
        return group;
    }

    public static async Task<Results<Created<CategoryResponse>, ProblemHttpResult>> AddCategory(
        CategoryRequest request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Categories.AnyAsync(c => c.Key == request.Key, ct))
        {
            return Problems.Conflict("key", $"The category '{request.Key}' exists already.");
        }

        db.Categories.Add(TicketCategory.New(request.Key!, request.Name!.Trim(), clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_categories_pkey"))
        {
            return Problems.Conflict("key", $"The category '{request.Key}' exists already.");
        }

        return TypedResults.Created($"/api/tickets/categories", new CategoryResponse(request.Key!, request.Name.Trim()));
    }

    public static async Task<Results<Created<QueueResponse>, ProblemHttpResult>> AddQueue(
        QueueRequest request, TicketsDb db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name!.Trim();
        if (await db.Queues.AnyAsync(q => q.Name == name, ct))
        {
            return Problems.Conflict("name", $"The queue '{name}' exists already.");
        }

        var queue = TicketQueue.New(name, clock.GetUtcNow());
        db.Queues.Add(queue);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation("ticket_queues_name_key"))
        {
            return Problems.Conflict("name", $"The queue '{name}' exists already.");
        }

        return TypedResults.Created($"/api/tickets/queues", new QueueResponse(queue.Id, queue.Name));
    }
}

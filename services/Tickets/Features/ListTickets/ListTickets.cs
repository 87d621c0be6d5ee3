using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using Msp.ServiceDefaults.Hosting;
using Msp.Data;
using Msp.Tickets.Domain;
using Msp.Tickets.Persistence;

namespace Msp.Tickets.Features.ListTickets;

/// <summary>The filters of a ticket list. <c>view</c> is <c>mine</c> (assigned to the caller; for a client, asked for by
/// them) or, for staff, <c>unassigned</c>; <c>q</c> searches subject, description and public replies.</summary>
public sealed record TicketFilter(
    TicketStatus[]? Status, Priority[]? Priority, Guid? AssigneeId, Guid? QueueId, Guid? TenantId, string? Category,
    DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, string? Q, string? View)
{
    /// <summary>The query parameter that did not read, if any: the list answers 400 naming it.</summary>
    public string? InvalidField { get; private init; }

    public static ValueTask<TicketFilter?> BindAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (Invalid(query) is { } field)
        {
            return ValueTask.FromResult<TicketFilter?>(new TicketFilter(null, null, null, null, null, null, null, null, null, null) { InvalidField = field });
        }

        return ValueTask.FromResult<TicketFilter?>(new TicketFilter(
            Enums<TicketStatus>(query["status"]), Enums<Priority>(query["priority"]), Id(query["assigneeId"]), Id(query["queueId"]),
            Id(query["tenantId"]), query["category"].FirstOrDefault(), Instant(query["createdFrom"]), Instant(query["createdTo"]),
            query["q"].FirstOrDefault(), query["view"].FirstOrDefault()));
    }

    /// <summary>The field at fault, if any filter value does not read.</summary>
    private static string? Invalid(IQueryCollection query)
    {
        foreach (var (name, parse) in new (string, Func<string, bool>)[]
        {
            ("status", v => Enum.TryParse<TicketStatus>(v, false, out _) && !int.TryParse(v, out _)),
            ("priority", v => Enum.TryParse<Priority>(v, false, out _) && !int.TryParse(v, out _)),
            ("assigneeId", v => Guid.TryParse(v, out _)), ("queueId", v => Guid.TryParse(v, out _)), ("tenantId", v => Guid.TryParse(v, out _)),
            ("createdFrom", v => DateTimeOffset.TryParse(v, out _)), ("createdTo", v => DateTimeOffset.TryParse(v, out _)),
            ("view", v => v is "mine" or "unassigned"), ("sort", v => v is "newest" or "oldest" or "due"),
        })
        {
            if (query[name].SelectMany(v => (v ?? "").Split(',')).Any(v => !parse(v)))
            {
                return name;
            }
        }

        return null;
    }

    private static T[]? Enums<T>(Microsoft.Extensions.Primitives.StringValues values) where T : struct, Enum =>
        values.Count == 0 ? null : [.. values.SelectMany(v => (v ?? "").Split(',')).Select(v => Enum.Parse<T>(v))];

    private static Guid? Id(Microsoft.Extensions.Primitives.StringValues v) => v.Count == 0 ? null : Guid.Parse(v[0]!);

    // In UTC: PostgreSQL's timestamptz takes instants, and the driver refuses an offset other than zero.
    private static DateTimeOffset? Instant(Microsoft.Extensions.Primitives.StringValues v) => v.Count == 0 ? null : DateTimeOffset.Parse(v[0]!).ToUniversalTime();

    /// <summary>Describes the filters in the OpenAPI document (they are read by <see cref="BindAsync"/>, which the
    /// document cannot see): for the API reference, and for the fuzz suite that generates its requests from it.</summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        static OpenApiParameter Query(string name, string description, JsonSchemaType type = JsonSchemaType.String, string? format = null, IEnumerable<string>? values = null) => new()
        {
            Name = name, In = ParameterLocation.Query, Description = description,
            Schema = new OpenApiSchema { Type = type, Format = format, Enum = values?.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToList() },
        };

        operation.Parameters ??= [];
        foreach (var parameter in new[]
        {
            Query("status", "One status, or several separated by commas.", values: Enum.GetNames<TicketStatus>()),
            Query("priority", "One priority, or several separated by commas.", values: Enum.GetNames<Priority>()),
            Query("assigneeId", "Tickets assigned to this member of staff.", format: "uuid"),
            Query("queueId", "Tickets in this queue.", format: "uuid"),
            Query("tenantId", "Tickets of this tenant (staff).", format: "uuid"),
            Query("category", "Tickets of this category."),
            Query("createdFrom", "Created at or after this instant.", format: "date-time"),
            Query("createdTo", "Created before this instant.", format: "date-time"),
            Query("q", "Words to search in subject, description and public replies."),
            Query("view", "A staff view.", values: ["mine", "unassigned"]),
        })
        {
            operation.Parameters.Add(parameter);
        }

        return Task.CompletedTask;
    }

    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, Actor actor)
    {
        if (Status is [var only])
        {
            // An equality, not "= ANY": the planner reads one status of a tenant in order from its index (0006).
            tickets = tickets.Where(t => t.Status == only);
        }
        else if (Status is { Length: > 0 })
        {
            tickets = tickets.Where(t => Status.Contains(t.Status));
        }

        if (Priority is { Length: > 0 })
        {
            tickets = tickets.Where(t => Priority.Contains(t.Priority));
        }

        if (AssigneeId is { } assignee)
        {
            tickets = tickets.Where(t => t.AssigneeId == assignee);
        }

        if (QueueId is { } queue)
        {
            tickets = tickets.Where(t => t.QueueId == queue);
        }

        if (TenantId is { } tenant)
        {
            tickets = tickets.Where(t => t.TenantId == tenant);
        }

        if (!string.IsNullOrWhiteSpace(Category))
        {
            var category = Category.Trim().ToLowerInvariant();
            tickets = tickets.Where(t => t.Category == category);
        }

        if (CreatedFrom is { } from)
        {
            tickets = tickets.Where(t => t.CreatedAt >= from);
        }

        if (CreatedTo is { } to)
        {
            tickets = tickets.Where(t => t.CreatedAt < to);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            // The words go into the SQL as a literal (escaped by EF), so that the plan is made for them: a common word
            // walks the newest tickets, a rare one uses the GIN index. A generic plan cannot tell them apart.
            // Hyphenated words are read whole (msp_query, see 0005_search_query_configuration.sql), except inside a
            // quoted phrase, whose word positions must be counted as the stored vectors count them.
            var configuration = q.Contains('"') ? "simple" : "msp_query";
            tickets = tickets.Where(t => t.Search.Matches(EF.Functions.WebSearchToTsQuery(EF.Constant(configuration), EF.Constant(q))));
        }

        if (View == "mine")
        {
            // Staff's own work is what is assigned to them; a client's is what they asked for (a ClientAdmin's
            // "mine" beside "all company").
            tickets = actor.IsClient
                ? tickets.Where(t => t.RequesterId == actor.Id || t.CreatedBy == actor.Id)
                : tickets.Where(t => t.AssigneeId == actor.Id);
        }
        else if (View == "unassigned")
        {
            tickets = tickets.Where(t => t.AssigneeId == null && t.Status != TicketStatus.Closed && t.Status != TicketStatus.Cancelled);
        }

        return tickets;
    }
}

public static class ListTickets
{
    public static RouteGroupBuilder MapListTickets(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).WithName(nameof(ListTickets)).AddOpenApiOperationTransformer(TicketFilter.Describe);
        group.MapGet("/counts", Counts).WithName("CountTickets").AddOpenApiOperationTransformer(TicketFilter.Describe);
        return group;
    }

    /// <summary>Where the previous page ended: the sort key and the id as tie-breaker.</summary>
    public sealed record TicketKey(DateTimeOffset? At, Guid Id);

    /// <summary>Summaries of the tickets the caller may see, filtered and keyset-paged, with the names of their requester
    /// and assignee; <c>include=time</c> adds the minutes spent on each (ClientAdmin and staff). Sorts: <c>newest</c>
    /// (default) and <c>oldest</c> by creation, <c>due</c> by the SLA's next due instant (tickets without one last); the
    /// id breaks ties.</summary>
    public static async Task<Results<Ok<Page<TicketSummary>>, ValidationProblem>> Handle(
        TicketFilter filter, ClaimsPrincipal user, TicketsDb db, CancellationToken ct,
        int? limit = null, string? cursor = null, string? sort = null, string? include = null)
    {
        if (filter.InvalidField is { } field)
        {
            return Problems.Invalid(field, $"The value of '{field}' is not one this list understands.");
        }

        var includes = (include ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (includes.Any(i => i != "time"))
        {
            return Problems.Invalid("include", "The list can include 'time' (the minutes spent on each ticket).");
        }

        if (!Paging.TryRead<TicketKey>(limit, cursor, out var take, out var after, out var problem))
        {
            return problem!;
        }

        var actor = Actor.From(user);
        var query = filter.Apply(db.VisibleTo(actor).AsNoTracking(), actor);
        List<TicketSummary> rows;
        Func<TicketSummary, TicketKey> keyOf = t => new TicketKey(t.CreatedAt, t.Id);
        switch (sort ?? "newest")
        {
            case "oldest":
                if (after is not null)
                {
                    query = query.Where(t => EF.Functions.GreaterThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(after.At!.Value, after.Id)));
                }

                rows = await query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(take + 1).Select(TicketSummary.Of).ToListAsync(ct);
                break;
            case "due":
                rows = await ByDueAsync(query, after, take + 1, ct);
                keyOf = t => new TicketKey(t.SlaDueAt, t.Id);
                break;
            default:
                if (after is not null)
                {
                    query = query.Where(t => EF.Functions.LessThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(after.At!.Value, after.Id)));
                }

                rows = await query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(take + 1).Select(TicketSummary.Of).ToListAsync(ct);
                break;
        }

        var named = await DescribeAsync(db, rows, actor, includes.Contains("time"), ct);
        return TypedResults.Ok(named.ToPage(take, keyOf));
    }

    /// <summary>Open tickets by their SLA's next due instant, then those without one by id, read as two walks: the due
    /// ones in the order of <c>ticket_sla_due</c>'s index, then, when the page is not full yet, the others in the order
    /// of the open tickets' index (0010). Each reads about as many rows as the page shows, where one query ordering both
    /// together sorted every open ticket of the scope on every queue page.</summary>
    private static async Task<List<TicketSummary>> ByDueAsync(IQueryable<Ticket> query, TicketKey? after, int count, CancellationToken ct)
    {
        var open = query.Where(t => t.Status != TicketStatus.Closed && t.Status != TicketStatus.Cancelled);
        var rows = new List<TicketSummary>();
        if (after is null or { At: not null })
        {
            var due = open.Where(t => t.Sla!.DueAt != null);
            if (after is { At: { } at })
            {
                due = due.Where(t => EF.Functions.GreaterThan(ValueTuple.Create(t.Sla!.DueAt!.Value, t.Id), ValueTuple.Create(at, after.Id)));
            }

            rows = await due.OrderBy(t => t.Sla!.DueAt).ThenBy(t => t.Id).Take(count).Select(TicketSummary.Of).ToListAsync(ct);
            if (rows.Count == count)
            {
                return rows;
            }

            after = null; // the tickets without a due instant follow from their first
        }

        var undated = open.Where(t => t.Sla == null || t.Sla.DueAt == null);
        if (after is not null)
        {
            undated = undated.Where(t => t.Id > after.Id);
        }

        rows.AddRange(await undated.OrderBy(t => t.Id).Take(count - rows.Count).Select(TicketSummary.Of).ToListAsync(ct));
        return rows;
    }

    /// <summary>Adds the people's names (one query) and, when asked and allowed, the minutes spent (one more).</summary>
    private static async Task<List<TicketSummary>> DescribeAsync(TicketsDb db, List<TicketSummary> rows, Actor actor, bool time, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var people = await People.ReadAsync(db, rows.SelectMany(r => new[] { r.RequesterId, r.AssigneeId }), ct);
        Dictionary<Guid, int>? minutes = null;
        if (time && actor.SeesTimeSpent)
        {
            var ids = rows.Select(r => r.Id).ToArray();
            minutes = await db.TimeEntries.Where(e => ids.Contains(e.TicketId) && e.DeletedAt == null)
                .GroupBy(e => e.TicketId).Select(g => new { g.Key, Minutes = g.Sum(e => e.Minutes) })
                .ToDictionaryAsync(g => g.Key, g => g.Minutes, ct);
        }

        return [.. rows.Select(r => r with
        {
            RequesterName = people.NameOf(r.RequesterId),
            AssigneeName = people.NameOf(r.AssigneeId),
            TimeSpentMinutes = minutes is null ? null : minutes.GetValueOrDefault(r.Id),
        })];
    }

    public sealed record TicketCounts(int Total, Dictionary<TicketStatus, int> ByStatus);

    /// <summary>How many tickets per status the same filters select (a queue's or "my work"'s header): from the counts
    /// the database keeps per tenant and status when the filter is on status and tenant only (<see cref="StatusCounts"/>),
    /// else counted from the tickets.</summary>
    public static async Task<Results<Ok<TicketCounts>, ValidationProblem>> Counts(
        TicketFilter filter, ClaimsPrincipal user, TicketsDb db, CancellationToken ct)
    {
        if (filter.InvalidField is { } field)
        {
            return Problems.Invalid(field, $"The value of '{field}' is not one this list understands.");
        }

        var actor = Actor.From(user);
        if (StatusCounts.Answer(filter, actor))
        {
            var kept = await StatusCounts.ReadAsync(db, filter.Status, filter.TenantId, ct);
            return TypedResults.Ok(new TicketCounts(kept.Values.Sum(), kept));
        }

        var counts = await filter.Apply(db.VisibleTo(actor), actor).GroupBy(t => t.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byStatus = Enum.GetValues<TicketStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
        return TypedResults.Ok(new TicketCounts(byStatus.Values.Sum(), byStatus));
    }
}

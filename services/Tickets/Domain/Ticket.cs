using NpgsqlTypes;
using Msp.Contracts;
using Msp.Contracts.Tickets;

namespace Msp.Tickets.Domain;

/// <summary>A client's request for help and everything that happens to it. Every change goes through a method here,
/// which checks the rules, writes the history entry and raises the integration event, so that no endpoint can change
/// a ticket without both.</summary>
public sealed class Ticket
{
    private readonly List<HistoryEntry> history = [];
    private readonly List<IIntegrationEvent> events = [];

    private Ticket()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public long Number { get; private set; }

    /// <summary>The number as people read it: the tenant's slug in capitals, a dash, the number (<c>ACME-42</c>).</summary>
    public string Reference { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string Description { get; private set; } = "";

    public Guid RequesterId { get; private set; }

    public Guid CreatedBy { get; private set; }

    public TicketSource Source { get; private set; }

    public string? Category { get; private set; }

    public Level Impact { get; private set; }

    public Level Urgency { get; private set; }

    public Priority Priority { get; private set; }

    /// <summary>Set when staff overrode the matrix's priority, with their reason.</summary>
    public string? PriorityReason { get; private set; }

    public TicketStatus Status { get; private set; }

    public Guid? AssigneeId { get; private set; }

    public Guid? QueueId { get; private set; }

    /// <summary>Grows by one with every integration event of this ticket.</summary>
    public long Sequence { get; private set; }

    /// <summary>How many history entries the ticket has: the next entry's position.</summary>
    public int HistoryCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? FirstRespondedAt { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>When the SLA's next open clock falls due, as the Slas service announces it (for sorting queues). Kept
    /// in a row of its own, so that an SLA announcement never changes the ticket's version (its ETag).</summary>
    public TicketSlaDue? Sla { get; private set; }

    public short? Rating { get; private set; }

    public string? RatingComment { get; private set; }

    public DateTimeOffset? RatedAt { get; private set; }

    /// <summary>The public replies' text, searched with the subject and description (never an internal note).</summary>
    public string PublicText { get; private set; } = "";

    /// <summary>Subject, description and public replies as PostgreSQL searches them (a stored generated column).</summary>
    public NpgsqlTsVector Search { get; private set; } = null!;

    public uint RowVersion { get; private set; }

    public bool IsFinal => Workflow.IsFinal(Status);

    /// <summary>Hands over the history entries and events raised since the last call, to be saved together.</summary>
    public (IReadOnlyList<HistoryEntry> History, IReadOnlyList<IIntegrationEvent> Events) TakeChanges()
    {
        var taken = (history.ToList(), events.ToList());
        history.Clear();
        events.Clear();
        return taken;
    }

    public static Ticket Open(
        Guid tenantId, long number, string tenantSlug, TicketDraft draft, Actor actor, DateTimeOffset now)
    {
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Number = number,
            Reference = $"{tenantSlug.ToUpperInvariant()}-{number}",
            Subject = draft.Subject,
            Description = draft.Description,
            RequesterId = draft.RequesterId,
            CreatedBy = actor.Id,
            Source = draft.Source,
            Category = draft.Category,
            Impact = draft.Impact,
            Urgency = draft.Urgency,
            Priority = PriorityMatrix.For(draft.Impact, draft.Urgency),
            Status = TicketStatus.New,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ticket.Record(actor, now, "Created", null, null, ticket.Reference);
        ticket.Raise(seq => new TicketCreated
        {
            EventId = EventIds.New(), TenantId = tenantId, OccurredAt = now, TicketId = ticket.Id, Sequence = seq,
            Number = number, Reference = ticket.Reference, Priority = ticket.Priority.ToString(), Status = ticket.Status.ToString(),
            Source = ticket.Source.ToString(), RequesterId = ticket.RequesterId, Category = ticket.Category, CreatedBy = ticket.CreatedBy,
            Subject = ticket.Subject,
        });
        return ticket;
    }

    /// <summary>Changes what the ticket is about. Impact and urgency give the priority again, unless staff set it.</summary>
    public void Edit(TicketEdit edit, Actor actor, DateTimeOffset now)
    {
        if (IsFinal)
        {
            throw new TicketRuleException("status", $"A {Status.ToString().ToLowerInvariant()} ticket can no longer be changed.");
        }

        if (actor.IsClient && (edit.Priority is not null || Status == TicketStatus.Resolved))
        {
            throw new TicketRuleException(edit.Priority is not null ? "priority" : "status",
                edit.Priority is not null ? "Only staff set a ticket's priority." : "A resolved ticket is reopened by replying, not edited.", forbidden: edit.Priority is not null);
        }

        Set(actor, now, "subject", Subject, edit.Subject, v => Subject = v);
        Set(actor, now, "description", Description, edit.Description, v => Description = v);
        if (edit.Category is not null)
        {
            Set(actor, now, "category", Category ?? "", edit.Category, v => Category = v);
        }

        if (edit.Impact is { } impact && impact != Impact)
        {
            Record(actor, now, "Changed", "impact", Impact.ToString(), impact.ToString());
            Impact = impact;
        }

        if (edit.Urgency is { } urgency && urgency != Urgency)
        {
            Record(actor, now, "Changed", "urgency", Urgency.ToString(), urgency.ToString());
            Urgency = urgency;
        }

        if (edit.Priority is { } overridden)
        {
            if (string.IsNullOrWhiteSpace(edit.PriorityReason))
            {
                throw new TicketRuleException("priorityReason", "Overriding the priority needs a reason.");
            }

            PriorityReason = edit.PriorityReason.Trim();
            ChangePriority(overridden, actor, now);
        }
        else if (PriorityReason is null)
        {
            ChangePriority(PriorityMatrix.For(Impact, Urgency), actor, now);
        }

        UpdatedAt = now;
    }

    private void ChangePriority(Priority to, Actor actor, DateTimeOffset now)
    {
        if (to == Priority)
        {
            return;
        }

        var from = Priority;
        Priority = to;
        Record(actor, now, "Changed", "priority", from.ToString(), to.ToString());
        Raise(seq => new TicketPriorityChanged
        {
            EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq, From = from.ToString(), To = to.ToString(),
        });
    }

    /// <summary>Moves the ticket along the workflow. Clients may only cancel their ticket, confirm a resolution
    /// (close) or reopen it within the reopen window.</summary>
    public void ChangeStatus(TicketStatus to, string? reason, Actor actor, DateTimeOffset now, TimeSpan reopenWindow)
    {
        if (!Workflow.Allows(Status, to))
        {
            var allowed = Workflow.AllowedFrom(Status);
            throw new TicketRuleException("status", allowed.Count == 0
                ? $"The ticket is {Status} and can no longer change status."
                : $"A ticket cannot go from {Status} to {to}; from {Status} it can go to {string.Join(", ", allowed)}.");
        }

        if (actor.IsClient && !ClientsMayMoveTo(to))
        {
            throw new TicketRuleException("status", "Clients can cancel a ticket, confirm its resolution (Closed) or reopen it (Open).", forbidden: true);
        }

        if (actor.IsClient && IsLateReopening(to, now, reopenWindow))
        {
            throw new TicketRuleException("status", $"The ticket was resolved more than {reopenWindow.TotalDays:0} days ago; please open a new one.");
        }

        MoveTo(to, reason, actor, now);
    }

    /// <summary>The statuses <paramref name="actor"/> may move the ticket to now: every legal move for staff; for
    /// clients cancelling, and confirming or (within the reopen window) reopening a resolution. The same rules as
    /// <see cref="ChangeStatus"/>, which refuses every other move.</summary>
    public IReadOnlyList<TicketStatus> AllowedMoves(Actor actor, DateTimeOffset now, TimeSpan reopenWindow) =>
        [.. Workflow.AllowedFrom(Status).Where(to => actor.IsStaff || (ClientsMayMoveTo(to) && !IsLateReopening(to, now, reopenWindow)))];

    private bool ClientsMayMoveTo(TicketStatus to) =>
        to == TicketStatus.Cancelled || (Status == TicketStatus.Resolved && to is TicketStatus.Closed or TicketStatus.Open);

    private bool IsLateReopening(TicketStatus to, DateTimeOffset now, TimeSpan reopenWindow) =>
        Status == TicketStatus.Resolved && to == TicketStatus.Open && now - ResolvedAt > reopenWindow;

    private void MoveTo(TicketStatus to, string? reason, Actor actor, DateTimeOffset now)
    {
        var from = Status;
        Status = to;
        UpdatedAt = now;
        Record(actor, now, "StatusChanged", "status", from.ToString(), to.ToString(), detail: reason);
        Raise(seq => new TicketStatusChanged
        {
            EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq, From = from.ToString(), To = to.ToString(),
        });
        switch (to)
        {
            case TicketStatus.Resolved:
                ResolvedAt = now;
                Raise(seq => new TicketResolved { EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq });
                break;
            case TicketStatus.Open when from == TicketStatus.Resolved:
                ResolvedAt = null;
                Raise(seq => new TicketReopened { EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq });
                break;
            case TicketStatus.Closed:
                ClosedAt = now;
                Raise(seq => new TicketClosed { EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq });
                break;
        }
    }

    /// <summary>Adds a reply or an internal note. A client's reply brings a ticket waiting on them back to Open, and
    /// reopens a resolved one within the reopen window. Staff's first public reply is the first response.</summary>
    public TicketComment Comment(string body, Visibility visibility, Actor actor, DateTimeOffset now, TimeSpan reopenWindow)
    {
        if (actor.IsClient && visibility == Visibility.Internal)
        {
            throw new TicketRuleException("visibility", "Internal notes are for staff; clients reply publicly.", forbidden: true);
        }

        if (IsFinal && visibility == Visibility.Public)
        {
            throw new TicketRuleException("status", $"The ticket is {Status}; a new request needs a new ticket.");
        }

        if (actor.IsClient && Status == TicketStatus.Resolved && now - ResolvedAt > reopenWindow)
        {
            throw new TicketRuleException("status", $"The ticket was resolved more than {reopenWindow.TotalDays:0} days ago; please open a new one.");
        }

        var comment = TicketComment.New(this, body, visibility, actor, now);
        UpdatedAt = now;
        Record(actor, now, visibility == Visibility.Public ? "Replied" : "NoteAdded", null, null, comment.Id.ToString(), internalOnly: visibility == Visibility.Internal);
        if (visibility == Visibility.Internal)
        {
            return comment;
        }

        PublicText = PublicText.Length == 0 ? body : PublicText + "\n" + body;
        if (actor.IsStaff)
        {
            var first = FirstRespondedAt is null;
            FirstRespondedAt ??= now;
            Raise(seq => new TicketRepliedByStaff
            {
                EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq,
                CommentId = comment.Id, AuthorId = actor.Id, IsFirstResponse = first, Body = body,
            });
            return comment;
        }

        Raise(seq => new TicketRepliedByClient
        {
            EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq, CommentId = comment.Id, AuthorId = actor.Id, Body = body,
        });
        if (Status == TicketStatus.WaitingOnCustomer)
        {
            MoveTo(TicketStatus.Open, "The customer replied.", actor, now);
        }
        else if (Status == TicketStatus.Resolved)
        {
            MoveTo(TicketStatus.Open, "The customer replied after the resolution.", actor, now);
        }

        return comment;
    }

    /// <summary>Assigns the ticket to a member of staff and/or a queue (null leaves it unassigned there).</summary>
    public void Assign(Guid? assigneeId, Guid? queueId, Actor actor, DateTimeOffset now)
    {
        if (IsFinal)
        {
            throw new TicketRuleException("status", $"A {Status.ToString().ToLowerInvariant()} ticket is no longer assigned.");
        }

        if (assigneeId == AssigneeId && queueId == QueueId)
        {
            return;
        }

        Set(actor, now, "assigneeId", AssigneeId?.ToString() ?? "", assigneeId?.ToString() ?? "", _ => AssigneeId = assigneeId);
        Set(actor, now, "queueId", QueueId?.ToString() ?? "", queueId?.ToString() ?? "", _ => QueueId = queueId);
        UpdatedAt = now;
        Raise(seq => new TicketAssigned
        {
            EventId = EventIds.New(), TenantId = TenantId, OccurredAt = now, TicketId = Id, Sequence = seq, AssigneeId = assigneeId, QueueId = queueId,
        });
    }

    /// <summary>The client's rating of a resolved (or closed) ticket, 1 to 5; rating again replaces it.</summary>
    public void Rate(short score, string? comment, Actor actor, DateTimeOffset now)
    {
        if (!actor.IsClient)
        {
            throw new TicketRuleException("score", "Only the client rates the service.", forbidden: true);
        }

        if (Status is not (TicketStatus.Resolved or TicketStatus.Closed))
        {
            throw new TicketRuleException("status", "A ticket is rated once it is resolved.");
        }

        if (Rating == score && RatingComment == comment)
        {
            return; // the same rating again (a retry): nothing changes
        }

        Record(actor, now, "Rated", "rating", Rating?.ToString() ?? "", score.ToString());
        (Rating, RatingComment, RatedAt, UpdatedAt) = (score, comment, now, now);
    }

    /// <summary>Closes a ticket that stayed resolved for the configured time (the scheduled job's doing).</summary>
    public bool CloseIfResolvedBefore(DateTimeOffset cutoff, DateTimeOffset now)
    {
        if (Status != TicketStatus.Resolved || ResolvedAt > cutoff)
        {
            return false;
        }

        MoveTo(TicketStatus.Closed, "Closed automatically after the resolution was not disputed.", Actor.System, now);
        return true;
    }

    /// <summary>History of a time entry of this ticket (internal: clients do not see staff's time records).</summary>
    internal void RecordTime(Actor actor, DateTimeOffset now, string action, string? oldValue, string? newValue)
    {
        Record(actor, now, action, "timeEntry", oldValue, newValue, internalOnly: true);
        UpdatedAt = now;
    }

    internal void Raise(IIntegrationEvent e) => events.Add(e);

    private void Raise(Func<long, IIntegrationEvent> make) => events.Add(make(++Sequence));

    private void Set(Actor actor, DateTimeOffset now, string field, string current, string? value, Action<string> apply)
    {
        if (value is null || value == current)
        {
            return;
        }

        Record(actor, now, "Changed", field, current, value);
        apply(value);
    }

    private void Record(Actor actor, DateTimeOffset now, string action, string? field, string? oldValue, string? newValue, string? detail = null, bool internalOnly = false) =>
        history.Add(new HistoryEntry(Guid.CreateVersion7(now), TenantId, Id, ++HistoryCount, actor.Id, action, field, oldValue, newValue, detail, internalOnly, now));
}

/// <summary>What a new ticket says, checked by the endpoint's validator.</summary>
public sealed record TicketDraft(string Subject, string Description, Guid RequesterId, TicketSource Source, string? Category, Level Impact, Level Urgency);

/// <summary>A partial change: null leaves a field as it is.</summary>
public sealed record TicketEdit(string? Subject, string? Description, string? Category, Level? Impact, Level? Urgency, Priority? Priority, string? PriorityReason);

public sealed record HistoryEntry(
    Guid Id, Guid TenantId, Guid TicketId, int Position, Guid ActorId, string Action, string? Field, string? OldValue, string? NewValue, string? Detail, bool Internal,
    DateTimeOffset At);

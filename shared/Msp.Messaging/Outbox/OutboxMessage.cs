using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msp.Contracts;
using Msp.Data;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Messaging;

/// <summary>An integration event waiting in the service's own database to be published.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public Guid Id { get; private set; }

    public string MessageType { get; private set; } = "";

    public string Payload { get; private set; } = "";

    public Guid TenantId { get; private set; }

    public string? CorrelationId { get; private set; }

    /// <summary>The W3C <c>traceparent</c> of the change that raised the event: its publish and every consumer's handling
    /// join that trace.</summary>
    public string? TraceParent { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public static OutboxMessage For(IIntegrationEvent message, string? correlationId) => new()
    {
        Id = message.EventId,
        MessageType = message.GetType().FullName!,
        Payload = JsonSerializer.Serialize(message, message.GetType(), JsonSerializerOptions.Web),
        TenantId = message.TenantId,
        CorrelationId = correlationId,
        TraceParent = Telemetry.CurrentTraceParent(),
        OccurredAt = message.OccurredAt,
    };

    public (object Message, Type Type) Deserialize()
    {
        var type = typeof(IIntegrationEvent).Assembly.GetType(MessageType, throwOnError: true)!;
        return (JsonSerializer.Deserialize(Payload, type, JsonSerializerOptions.Web)!, type);
    }

    public void MarkFailed(string error)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
    }
}

public static class OutboxModel
{
    /// <summary>Maps the outbox table that <c>0000_messaging.sql</c> creates.</summary>
    public static ModelBuilder MapOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox");
            e.IsNotTenantFiltered(); // the relay publishes every tenant's events
            e.HasKey(m => m.Id);
            e.Property(m => m.Payload).HasColumnType("jsonb");
        });
        return model;
    }

    /// <summary>Marks a published batch in one statement (the relay reads its batch untracked): each row one attempt more,
    /// published at <paramref name="at"/>, its last error cleared.</summary>
    public static Task<int> MarkPublishedAsync(this DbSet<OutboxMessage> outbox, IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct) =>
        outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.PublishedAt, at).SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, (string?)null), ct);

    /// <summary>Adds the event to the outbox: it is written by the next SaveChanges, in the same transaction
    /// as the change it announces, and published by the relay after commit.</summary>
    public static void PublishOnSave(this DbContext db, IIntegrationEvent message, string? correlationId = null) =>
        db.Set<OutboxMessage>().Add(OutboxMessage.For(message, correlationId));
}

using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Msp.ServiceDefaults.Identity;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Msp.Messaging;

/// <summary>A message that kept failing and sits in one of the service's <c>_error</c> queues, with MassTransit's
/// account of why. <see cref="Id"/> is its message id, the key of a replay.</summary>
public sealed record FailedMessage(
    string Id, string Queue, string? MessageType, string? Error, string? ExceptionType, DateTimeOffset? FailedAt,
    Guid? EventId, Guid? TenantId, string Body);

/// <summary>What a service's error queues hold (at most <see cref="FailedMessages.MostPerQueue"/> read from each);
/// <see cref="Waiting"/> counts every message in them.</summary>
public sealed record FailedMessageList(string Service, IReadOnlyList<FailedMessage> Items, long Waiting);

public sealed record ReplayedMessage(string Id, string Queue);

/// <summary>The queues the service consumes from, as MassTransit reports them ready.</summary>
public sealed class ServiceQueues : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, byte> names = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => [.. names.Keys.Order(StringComparer.Ordinal)];

    public Task Ready(ReceiveEndpointReady ready)
    {
        // rabbitmq://host/vhost/queue?...: the queue is the last segment; temporary (bus) endpoints have no error queue
        // anyone reads.
        var queue = ready.InputAddress.Segments[^1];
        if (!ready.InputAddress.Query.Contains("temporary=true", StringComparison.Ordinal) && !ready.InputAddress.Query.Contains("autodelete=true", StringComparison.Ordinal))
        {
            names.TryAdd(queue, 0);
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}

/// <summary>Reads the service's error queues and sends a message back to the queue it failed in (decision 0114). Reading
/// takes each message unacknowledged and gives them all back when the channel closes, in their order; a replay takes
/// messages until it finds the one named, publishes it (without MassTransit's fault headers) to its queue with a
/// publisher confirm, and only then acknowledges it out of the error queue. The consumer's inbox makes a message applied
/// twice (a replay racing another) change nothing the second time.</summary>
public sealed class FailedMessages(Uri broker, string service, ServiceQueues queues, ILogger<FailedMessages> logger)
{
    public const int MostPerQueue = 100;

    public async Task<FailedMessageList> ListAsync(CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        var items = new List<FailedMessage>();
        long waiting = 0;
        foreach (var queue in queues.Names)
        {
            var depth = await DepthAsync(connection, ErrorQueue(queue), ct);
            waiting += depth;
            if (depth == 0)
            {
                continue;
            }

            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            for (var i = 0; i < Math.Min(depth, MostPerQueue); i++)
            {
                if (await channel.BasicGetAsync(ErrorQueue(queue), autoAck: false, ct) is not { } got)
                {
                    break;
                }

                items.Add(Read(queue, got));
            }

            await channel.CloseAsync(ct); // every message taken goes back, in its order
        }

        return new FailedMessageList(service, items, waiting);
    }

    /// <summary>Sends the message back to the queue it failed in; null when no error queue of the service holds it.</summary>
    public async Task<ReplayedMessage?> ReplayAsync(string id, string by, CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        foreach (var queue in queues.Names)
        {
            var depth = await DepthAsync(connection, ErrorQueue(queue), ct);
            if (depth == 0)
            {
                continue;
            }

            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            for (var i = 0; i < depth; i++)
            {
                if (await channel.BasicGetAsync(ErrorQueue(queue), autoAck: false, ct) is not { } got)
                {
                    break;
                }

                if (IdOf(got) != id)
                {
                    continue;
                }

                var properties = new BasicProperties(got.BasicProperties)
                {
                    Headers = got.BasicProperties.Headers?.Where(h => !IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value),
                };
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, got.Body, ct);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
                logger.LogWarning("Failed message {MessageId} sent back from {ErrorQueue} to {Queue} by {User}", id, ErrorQueue(queue), queue, by);
                return new ReplayedMessage(id, queue);
            }

            await channel.CloseAsync(ct);
        }

        return null;
    }

    private static string ErrorQueue(string queue) => queue + "_error";

    private static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("MT-Host-", StringComparison.OrdinalIgnoreCase);

    private Task<IConnection> ConnectAsync(CancellationToken ct) =>
        new ConnectionFactory { Uri = broker, ClientProvidedName = $"{service}-failed-messages" }.CreateConnectionAsync(ct);

    /// <summary>Messages in the queue; 0 when it does not exist (nothing ever failed there).</summary>
    private static async Task<uint> DepthAsync(IConnection connection, string queue, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    private static string IdOf(BasicGetResult got) =>
        got.BasicProperties.MessageId
        ?? (Envelope(got.Body.Span) is { } e && e.TryGetProperty("messageId", out var id) ? id.GetString() : null)
        ?? "";

    private static FailedMessage Read(string queue, BasicGetResult got)
    {
        var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
        var envelope = Envelope(got.Body.Span);
        var type = envelope is { } e && e.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
            ? types[0].GetString()?.Split(':')[^1]
            : Header(headers, "MT-Fault-MessageType");
        var message = envelope is { } m && m.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : (JsonElement?)null;
        return new FailedMessage(
            IdOf(got), queue, type, Header(headers, "MT-Fault-Message"), Header(headers, "MT-Fault-ExceptionType"),
            DateTimeOffset.TryParse(Header(headers, "MT-Fault-Timestamp"), out var at) ? at : null,
            GuidIn(message, "eventId"), GuidIn(message, "tenantId"), Encoding.UTF8.GetString(got.Body.Span));
    }

    private static JsonElement? Envelope(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Guid? GuidIn(JsonElement? message, string name) =>
        message is { } m && m.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var id) ? id : null;

    private static string? Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;
}

public static class FailedMessagesEndpoints
{
    /// <summary><c>GET {prefix}/failed-messages</c> and <c>POST {prefix}/failed-messages/{id}/replay</c>, for Admins.</summary>
    public static WebApplication MapFailedMessages(this WebApplication app, string prefix)
    {
        var group = app.MapGroup(prefix + "/failed-messages").WithTags("Failed messages").RequireAuthorization(MspPolicies.Admins);
        group.MapGet("/", async (FailedMessages messages, CancellationToken ct) => TypedResults.Ok(await messages.ListAsync(ct)))
            .WithName("ListFailedMessages");
        group.MapPost("/{id}/replay", Replay).WithName("ReplayFailedMessage");
        return app;
    }

    private static async Task<Results<Ok<ReplayedMessage>, NotFound>> Replay(string id, FailedMessages messages, ClaimsPrincipal user, CancellationToken ct) =>
        await messages.ReplayAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown", ct) is { } replayed
            ? TypedResults.Ok(replayed)
            : TypedResults.NotFound(); // no error queue of this service holds it (replayed already, say)
}

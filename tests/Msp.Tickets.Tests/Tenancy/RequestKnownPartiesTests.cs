using Msp.Contracts.Tenants;
using Msp.Testing;

namespace Msp.Tickets.Tests.Tenancy;

/// <summary>A service asks the Tenants service for every tenant and user only while it knows none (decision 0128).</summary>
public sealed class RequestKnownPartiesTests
{
    private static readonly string Requests = $"SELECT count(*) FROM outbox WHERE message_type = '{typeof(KnownPartiesRequested).FullName}'";

    [Fact]
    public async Task AProcessStartingOnADatabaseThatKnowsATenant_AsksNothing()
    {
        await using var first = new TicketsFactory();
        await ((IAsyncLifetime)first).InitializeAsync();
        (await first.Database.ScalarAsync<long>(Requests)).ShouldBe(1, "the first process knew no tenant");
        await first.TenantAsync();

        await using var second = new TicketsFactory { ReplicaOf = first };
        await ((IAsyncLifetime)second).InitializeAsync(); // returns once the process has checked

        (await first.Database.ScalarAsync<long>(Requests)).ShouldBe(1, "the second process knew one");
    }
}

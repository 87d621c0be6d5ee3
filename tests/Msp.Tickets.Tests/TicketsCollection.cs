using Msp.Testing;

namespace Msp.Tickets.Tests;

/// <summary>One Tickets host (database, virtual host, consumers) shared by the test classes of this project.</summary>
[CollectionDefinition(nameof(TicketsCollection))]
public sealed class TicketsCollection : ICollectionFixture<ServiceFactory<Program>>;

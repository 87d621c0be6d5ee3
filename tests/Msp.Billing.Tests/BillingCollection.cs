using Msp.Testing;

namespace Msp.Billing.Tests;

/// <summary>One Billing host (database, virtual host, consumers) shared by the test classes of this project.</summary>
[CollectionDefinition(nameof(BillingCollection))]
public sealed class BillingCollection : ICollectionFixture<ServiceFactory<Program>>;

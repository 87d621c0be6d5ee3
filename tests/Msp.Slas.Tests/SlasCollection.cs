using Msp.Testing;

namespace Msp.Slas.Tests;

/// <summary>One Slas host (database, virtual host, consumers) shared by the test classes of this project.</summary>
[CollectionDefinition(nameof(SlasCollection))]
public sealed class SlasCollection : ICollectionFixture<ServiceFactory<Program>>;

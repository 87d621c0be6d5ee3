using Msp.Testing;

namespace Msp.EndToEnd;

[CollectionDefinition(nameof(PlatformCollection))]
public sealed class PlatformCollection : ICollectionFixture<Platform>;

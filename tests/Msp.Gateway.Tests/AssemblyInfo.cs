// Several gateway hosts with different settings live in this assembly. WebApplicationFactory hooks a minimal-hosting
// app's build through a process-wide listener, so two factories building at the same moment can swap settings:
// test classes here run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

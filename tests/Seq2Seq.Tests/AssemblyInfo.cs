// libtorch uses all configured threads per operation; tests running side by side would oversubscribe the cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

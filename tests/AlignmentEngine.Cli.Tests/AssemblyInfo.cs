// Every test runs okr as its own process on its own temporary file: they can run side by side, and the
// process start-up time dominates, so running them in parallel is most of the suite's speed.
[assembly: Parallelizable(ParallelScope.All)]
[assembly: LevelOfParallelism(4)]

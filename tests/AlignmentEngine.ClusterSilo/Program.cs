using AlignmentEngine.ClusterSilo;
using Microsoft.Extensions.DependencyInjection;

// Usage: AlignmentEngine.ClusterSilo CONNECTION CLUSTER-ID SILO-PORT GRAIN-KEY
// Starts one silo, activates the WhereaboutsGrain GRAIN-KEY on itself, prints "ready SILO-ADDRESS" and runs until
// stdin closes (the test's way to stop it) or it is killed (the test's way to crash it).
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: AlignmentEngine.ClusterSilo CONNECTION CLUSTER-ID SILO-PORT GRAIN-KEY");
    return 2;
}

using var host = TestSilo.Build(args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
await host.StartAsync().ConfigureAwait(false);
var whereabouts = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IWhereaboutsGrain>(args[3]).LocateAsync().ConfigureAwait(false);
Console.WriteLine($"ready {whereabouts.Silo}");
while (Console.In.Read() >= 0)
{
}

await host.StopAsync().ConfigureAwait(false);
return 0;

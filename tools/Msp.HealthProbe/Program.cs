using Msp.HealthProbe;

// dotnet Msp.HealthProbe.dll [/health/ready | http://host:port/path]: exit code 0 when the process in this container
// answers 2xx within the timeout, 1 otherwise. Docker's HEALTHCHECK runs it (decision 0040).
var target = Probe.Target(args.FirstOrDefault(), Environment.GetEnvironmentVariable);
return await Probe.RunAsync(target, Probe.Timeout, Console.Error);

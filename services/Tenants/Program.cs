using Msp.ServiceDefaults.Hosting;
using Msp.Tenants;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTenants();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTenantsApi();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

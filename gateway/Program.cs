using Msp.Gateway;
using Msp.Gateway.Edge;
using Msp.Gateway.Health;
using Msp.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeProtection();
builder.AddGateway();

var app = builder.Build();
app.UseServiceDefaults(readyWriter: ReadinessReport.WriteAsync, openApi: false);
app.UseEdgeProtection();
app.MapGateway();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

using Msp.Billing;
using Msp.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddBilling();

var app = builder.Build();
app.UseServiceDefaults();
app.MapBillingApi();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

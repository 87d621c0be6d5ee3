using Msp.Slas;
using Msp.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSlas();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSlasApi();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

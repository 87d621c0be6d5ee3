using Msp.Tickets;
using Msp.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTickets();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTicketsApi();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

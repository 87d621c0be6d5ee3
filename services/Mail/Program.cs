using Msp.Mail;
using Msp.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMail();

var app = builder.Build();
app.UseServiceDefaults();
app.MapMailApi();
app.Run();

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

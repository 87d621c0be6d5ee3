using Microsoft.Extensions.Localization;
using Msp.Web.OperatorConsole.Invoicing;
using Msp.Web.OperatorConsole.Reports;

namespace Msp.Web.OperatorConsole;

/// <summary>What the operator console adds to the web app: its text table and its file downloads (a month's invoices, the SLA report).</summary>
public static class ConsoleModule
{
    public static IServiceCollection AddOperatorConsole(this IServiceCollection services) =>
        services.AddSingleton<IStringLocalizer<ConsoleText>, ConsoleLocalizer>();

    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder app) => app.MapInvoiceExport().MapSlaReportCsv().MapTimeReportCsv();
}

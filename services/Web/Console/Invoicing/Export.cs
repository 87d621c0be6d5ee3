using Microsoft.AspNetCore.Authorization;
using Msp.Web.Api;

namespace Msp.Web.OperatorConsole.Invoicing;

/// <summary>A month's issued documents as a file, passed through from Billing's export (CSV or JSON) with the
/// operator's token.</summary>
public static class Export
{
    public static IEndpointRouteBuilder MapInvoiceExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/invoicing/export", async (string? period, string? format, BillingApi billing, HttpContext http) =>
        {
            if (!InvoicingFormats.IsPeriod(period) || format is not ("csv" or "json"))
            {
                return Results.BadRequest();
            }

            var (content, contentType) = await billing.ExportAsync(period!, format, http.RequestAborted);
            return Results.File(content, contentType, $"invoices-{period}.{format}");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = ConsoleRoles.Operators });
        return app;
    }
}

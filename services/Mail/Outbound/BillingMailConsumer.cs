using System.Globalization;
using MassTransit;
using Msp.Contracts.Billing;
using Msp.Mail.Domain;
using Msp.Mail.Persistence;
using Msp.Messaging;

namespace Msp.Mail.Outbound;

/// <summary>Mail about money: an issued invoice to the billing contact (the ClientAdmins when none is set), block hours
/// running low to the ClientAdmins and the operators.</summary>
public sealed class BillingMailConsumer(MailDb db, Recipients recipients) : IConsumer<InvoiceIssued>, IConsumer<BlockHoursLow>
{
    private const string Name = "mail.billing-mail";

    public Task Consume(ConsumeContext<InvoiceIssued> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var tenant = await recipients.TenantNameAsync(m.TenantId, ct);
        var admins = await recipients.ReadersAsync(await recipients.ClientAdminsAsync(m.TenantId, ct), ct);
        Dictionary<string, string> Model(string language) => new()
        {
            ["tenant"] = tenant, ["number"] = m.Number, ["kind"] = m.Kind == "CreditNote" ? CreditNote(language) : Invoice(language), ["period"] = m.Period,
            ["total"] = m.Total.ToString("N2", Culture(language)), ["currency"] = m.Currency, ["dueOn"] = m.DueOn.ToString("d", Culture(language)),
            ["link"] = recipients.Link(PortalPages.Invoice(m.InvoiceId)),
        };
        if (m.BillingContact is { Length: > 0 } contact)
        {
            var language = admins.FirstOrDefault()?.Language ?? "en";
            await recipients.AddAsync(m.TenantId, m.EventId, Notifications.InvoiceIssued, new Recipient(contact, language, Name: contact), null, Model(language), ct);
        }
        else
        {
            await recipients.AddAsync(m.TenantId, m.EventId, Notifications.InvoiceIssued, admins, null, r => Model(r.Language), ct);
        }
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<BlockHoursLow> context) => db.ProcessOnceAsync(context.Message, Name, async ct =>
    {
        var m = context.Message;
        var tenant = await recipients.TenantNameAsync(m.TenantId, ct);
        var readers = await recipients.ReadersAsync([.. await recipients.ClientAdminsAsync(m.TenantId, ct), .. await recipients.OperatorsAsync(ct)], ct);
        await recipients.AddAsync(m.TenantId, m.EventId, Notifications.BlockHoursLow, readers, null, r => new()
        {
            ["tenant"] = tenant, ["percent"] = m.ThresholdPercent.ToString(CultureInfo.InvariantCulture),
            ["hoursUsed"] = m.HoursUsed.ToString("0.##", Culture(r.Language)), ["hoursBought"] = m.HoursBought.ToString("0.##", Culture(r.Language)),
            ["hoursLeft"] = m.HoursLeft.ToString("0.##", Culture(r.Language)),
            ["link"] = recipients.Link(r.IsStaff ? PortalPages.ConsoleClientContracts(m.TenantId) : PortalPages.BlockHours),
        }, ct);
    }, context.CancellationToken);

    private static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language switch { "fr" => "fr-FR", "it" => "it-IT", _ => "en-GB" });

    private static string Invoice(string language) => language switch { "fr" => "Facture", "it" => "Fattura", _ => "Invoice" };

    private static string CreditNote(string language) => language switch { "fr" => "Avoir", "it" => "Nota di credito", _ => "Credit note" };
}

using System.Net;
using System.Net.Http.Json;
using Msp.Billing.Domain;
using Msp.Billing.Features.Contracts;
using Msp.Billing.Features.Invoices;
using Msp.Data;
using Msp.KnownParties;
using Msp.ServiceDefaults.Identity;
using Msp.Testing;

namespace Msp.Billing.Tests;

/// <summary>Tenants with billing accounts, contracts, time and breaches, set up the way the platform sets them up: the
/// account and contract through the API, the time and breaches as the consumers record them.</summary>
public static class BillingSeed
{
    public static async Task<HttpClient> OperatorAsync(this ServiceFactory<Program> factory) =>
        factory.ClientFor(await factory.UserAsync(Caller.Staff(MspRoles.Operator)));

    /// <summary>An SLA policy as the Slas service announces it (<c>SlaPolicyCreated</c>), once Billing has taken it in.</summary>
    public static async Task<Guid> SlaPolicyAsync(this ServiceFactory<Program> factory)
    {
        var created = new Msp.Contracts.Slas.SlaPolicyCreated
        {
            EventId = Msp.Contracts.EventIds.New(), TenantId = Msp.Contracts.Provider.TenantId, OccurredAt = DateTimeOffset.UtcNow,
            PolicyId = Guid.CreateVersion7(), Name = "Policy " + Guid.NewGuid().ToString("N")[..8],
        };
        await factory.Bus.Publish(created);
        await Eventually.HoldsAsync(() => Task.FromResult(factory.Consumed.Of(created.EventId) >= 1), TimeSpan.FromSeconds(15), "Billing hears of the policy");
        return created.PolicyId;
    }

    /// <summary>A known tenant with a billing account in EUR at <paramref name="taxRatePercent"/>.</summary>
    public static async Task<Guid> AccountAsync(this ServiceFactory<Program> factory, HttpClient op, decimal taxRatePercent = 20m)
    {
        var (tenant, _) = await factory.TenantAsync();
        var response = await op.PutAsJsonAsync($"/api/billing/accounts/{tenant}",
            new { currency = "EUR", taxRatePercent, billingContact = "accounts@client.test", paymentTermsDays = 30 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return tenant;
    }

    /// <summary>A block-hours contract from <paramref name="startsOn"/>: a flat monthly fee, one block bought that day,
    /// overage, and an SLA credit of 5 % per breach capped at 20 %.</summary>
    public static async Task<ContractResponse> BlockHoursAsync(HttpClient op, Guid tenant, DateOnly startsOn, decimal hours = 10, decimal fee = 500m,
        decimal overageRate = 120m)
    {
        var response = await op.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Prepaid support", kind = "BlockHours", startsOn,
            fee = new { unit = "Flat", monthlyUnitPrice = fee },
            blocks = new[] { new { purchasedOn = startsOn, hours, price = 900m } },
            overageRate, slaCredit = new { percentPerBreach = 5m, capPercent = 20m },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ContractResponse>())!;
    }

    public static async Task<ContractResponse> TimeAndMaterialsAsync(HttpClient op, Guid tenant, DateOnly startsOn)
    {
        var response = await op.PostAsJsonAsync("/api/billing/contracts", new
        {
            tenantId = tenant, name = "Time and materials", kind = "TimeAndMaterials", startsOn,
            rates = new Dictionary<string, decimal> { ["Remote"] = 90m, ["OnSite"] = 150m }, defaultRate = 100m,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ContractResponse>())!;
    }

    /// <summary>A time entry as the usage consumer records it; its id.</summary>
    public static async Task<Guid> TimeAsync(this ServiceFactory<Program> factory, Guid tenant, DateOnly workDate, int minutes, string workType = "Remote",
        bool billable = true)
    {
        var id = Guid.CreateVersion7();
        await factory.Database.ScalarAsync<int>("""
            INSERT INTO usage_entries (time_entry_id, tenant_id, ticket_id, ticket_reference, technician_id, minutes, work_type, billable,
                                       work_date, version, deleted, logged_at, updated_at)
            VALUES ($1, $2, $3, 'ACME-7', $3, $4, $5, $6, $7, 1, false, clock_timestamp(), clock_timestamp()) RETURNING 1
            """, id, tenant, Guid.CreateVersion7(), minutes, workType, billable, workDate);
        return id;
    }

    public static Task BreachAsync(this ServiceFactory<Program> factory, Guid tenant, DateTimeOffset dueAt) =>
        factory.Database.ScalarAsync<int>("""
            INSERT INTO sla_breaches (ticket_id, clock, tenant_id, ticket_reference, priority, due_at, recorded_at)
            VALUES ($1, 'Response', $2, 'ACME-7', 'P2', $3, now()) RETURNING 1
            """, Guid.CreateVersion7(), tenant, dueAt.ToUniversalTime());

    /// <summary>Queues a run of the month and follows it to its end (202, then its <c>Location</c> polled); a run of the
    /// month already under way (409, another test's) is waited for first.</summary>
    public static async Task<InvoiceRunResponse> RunAsync(HttpClient op, string period)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await op.PostAsJsonAsync("/api/billing/invoice-runs", new { period });
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                var underWay = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("runId").GetGuid();
                await FollowAsync(op, $"/api/billing/invoice-runs/{underWay}");
                continue;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var run = await FollowAsync(op, response.Headers.Location!.ToString());
            run.Status.ShouldBe(RunStatus.Succeeded, run.Error);
            return run;
        }
    }

    /// <summary>Polls a run until it has finished.</summary>
    public static async Task<InvoiceRunResponse> FollowAsync(HttpClient op, string location)
    {
        InvoiceRunResponse? run = null;
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                run = await op.GetFromJsonAsync<InvoiceRunResponse>(location);
                return run!.Status is RunStatus.Succeeded or RunStatus.Failed;
            }, TimeSpan.FromSeconds(90), $"the run {location} finishes");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen: {System.Text.Json.JsonSerializer.Serialize(run)}", e);
        }

        return run!;
    }

    /// <summary>The tenant's invoice for the period (not a voided one), with its lines.</summary>
    public static async Task<InvoiceResponse> InvoiceAsync(HttpClient client, Guid tenant, string period)
    {
        var page = await client.GetFromJsonAsync<PageOf<InvoiceSummary>>($"/api/billing/invoices?tenantId={tenant}&period={period}");
        var summary = page!.Items.Single(i => i.Kind == InvoiceKind.Invoice && i.Status != InvoiceStatus.Void);
        return (await client.GetFromJsonAsync<InvoiceResponse>($"/api/billing/invoices/{summary.Id}"))!;
    }

    public static async Task<InvoiceResponse> IssueAsync(HttpClient op, Guid invoice)
    {
        var response = await op.PostAsync($"/api/billing/invoices/{invoice}/issue", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InvoiceResponse>())!;
    }
}

public sealed record PageOf<T>(List<T> Items, string? NextCursor);

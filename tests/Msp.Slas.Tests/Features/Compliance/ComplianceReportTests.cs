using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Slas.Tests.Features.Compliance;

[Collection(nameof(SlasApiCollection))]
public sealed class ComplianceReportTests(SlasFactory factory)
{
    [Fact]
    public async Task TheMonthlyReport_CountsMetAndBreachedTickets_WithMedians_AsJsonAndCsv()
    {
        var (tenant, slug) = await factory.TenantAsync();
        await factory.PolicyForAsync(tenant, responseMinutes: 30, resolutionMinutes: 120);
        var start = DateTimeOffset.UtcNow.AddMinutes(-200);
        var period = start.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM"); // the test tenant lives in Europe/Paris

        // Met: replied after 10 and resolved after 60 business minutes. Met: replied after 20, resolved after 100.
        // Breached: replied after 40 (late), resolved after 110. Pending: just opened, nothing late yet. The creation
        // goes last, so each history is complete when its clocks start: told in order, hours late, the sweep would
        // rightly breach a clock before the reply that stopped it arrived.
        async Task Ticket(int replyAfter, int? resolveAfter, int openedAgo = 200)
        {
            var ticket = Guid.CreateVersion7();
            var opened = DateTimeOffset.UtcNow.AddMinutes(-openedAgo);
            await factory.DeliverAsync(SlasFactory.Replied(tenant, ticket, 2, opened.AddMinutes(replyAfter)));
            if (resolveAfter is { } after)
            {
                await factory.DeliverAsync(SlasFactory.Status(tenant, ticket, 3, opened.AddMinutes(after), "Open", "Resolved"));
            }

            await factory.DeliverAsync(SlasFactory.Created(tenant, ticket, opened));
        }

        await Ticket(10, 60);
        await Ticket(20, 100);
        await Ticket(40, 110);
        await Ticket(1, null, openedAgo: 2);
        await Eventually.HoldsAsync(async () => await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM sla_clocks WHERE tenant_id = $1 AND breached_at IS NOT NULL", tenant) == 1, TimeSpan.FromSeconds(10), "the breach is published");

        var client = factory.ClientFor(await factory.ClientUserAsync(tenant, "ClientAdmin"));
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant}/compliance?period={period}");
        json.GetProperty("tickets").GetInt32().ShouldBe(4);
        json.GetProperty("met").GetInt32().ShouldBe(2);
        json.GetProperty("breached").GetInt32().ShouldBe(1);
        json.GetProperty("pending").GetInt32().ShouldBe(1);
        json.GetProperty("compliancePercent").GetDouble().ShouldBe(66.7);
        json.GetProperty("medianResponseMinutes").GetDouble().ShouldBe(15, "the median of 1, 10, 20 and 40");
        json.GetProperty("medianResolutionMinutes").GetDouble().ShouldBe(100);

        var csv = await client.GetAsync($"/api/slas/tenants/{tenant}/compliance?period={period}&format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split('\n').Select(l => l.Trim()).ToArray();
        lines[0].ShouldStartWith("tenant_id,period,time_zone,tickets,met,breached,pending,compliance_percent,median_response_minutes,median_resolution_minutes");
        lines[1].ShouldStartWith($"{tenant},{period},Europe/Paris,4,2,1,1,66.7,15,100");
        csv.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe($"sla-compliance-{slug}-{period}.csv");
    }

    [Theory]
    [InlineData("period=2026-13", "period")]
    [InlineData("period=last-month", "period")]
    [InlineData("format=xml", "format")]
    [InlineData("period=9999-12", "period")]
    [InlineData("period=0001-01", "period")]
    public async Task ABadQuery_IsRefused_NamingTheField(string query, string field)
    {
        var tenant = await factory.TenantAsync();

        var response = await factory.Operator().GetAsync($"/api/slas/tenants/{tenant.Id}/compliance?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}

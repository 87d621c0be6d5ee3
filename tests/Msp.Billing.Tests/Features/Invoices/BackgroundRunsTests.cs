using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Msp.Billing.Domain;
using Msp.Billing.Features.Invoices;
using Msp.Testing;
using Npgsql;

namespace Msp.Billing.Tests.Features.Invoices;

/// <summary>Invoice runs in the background (issue 21, decision 0112): 202 with a run to poll, its progress, one run of a
/// month at a time, and a run taken by one worker only.</summary>
[Collection(nameof(BillingCollection))]
public sealed class BackgroundRunsTests(ServiceFactory<Program> factory)
{
    [Fact]
    public async Task ARun_IsAccepted_WithTheRunToPoll_WhichEndsWithEveryTenantDone()
    {
        var op = await factory.OperatorAsync();
        var tenant = await factory.AccountAsync(op);
        await BillingSeed.TimeAndMaterialsAsync(op, tenant, new DateOnly(2022, 4, 1));
        await factory.TimeAsync(tenant, new DateOnly(2022, 4, 4), 60);

        var response = await op.PostAsJsonAsync("/api/billing/invoice-runs", new { period = "2022-04" });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<InvoiceRunResponse>())!;
        response.Headers.Location!.ToString().ShouldBe($"/api/billing/invoice-runs/{queued.Id}");
        (queued.Period, queued.Trigger, queued.Status, queued.TenantsDone).ShouldBe(("2022-04", "Operator", RunStatus.Queued, 0));

        var run = await BillingSeed.FollowAsync(op, response.Headers.Location.ToString());

        run.Status.ShouldBe(RunStatus.Succeeded);
        run.TenantsTotal.ShouldBeGreaterThanOrEqualTo(1);
        run.TenantsDone.ShouldBe(run.TenantsTotal);
        (run.Created + run.Updated + run.Unchanged + run.Issued).ShouldBeGreaterThanOrEqualTo(1);
        (run.StartedAt, run.FinishedAt).ShouldSatisfyAllConditions(t => t.StartedAt.ShouldNotBeNull(), t => t.FinishedAt.ShouldNotBeNull());
        (await BillingSeed.InvoiceAsync(op, tenant, "2022-04")).Lines.Single().Minutes.ShouldBe(60);
        (await op.GetFromJsonAsync<PageOf<InvoiceRunResponse>>("/api/billing/invoice-runs"))!.Items.ShouldContain(r => r.Id == run.Id);
        (await op.GetAsync($"/api/billing/invoice-runs/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WhileARunOfTheMonthIsUnderWay_AnotherIsRefusedWith409NamingIt()
    {
        var op = await factory.OperatorAsync();
        // The run is held at a tenant whose billing lock this test holds: it is under way however fast it goes.
        var held = await factory.AccountAsync(op);
        await using var connection = new NpgsqlConnection(factory.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var hold = await connection.BeginTransactionAsync();
        await using (var lockTenant = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, hold))
        {
            lockTenant.Parameters.Add(new NpgsqlParameter { Value = $"billing:{held}" });
            await lockTenant.ExecuteNonQueryAsync();
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => op.PostAsJsonAsync("/api/billing/invoice-runs", new { period = "2022-05" })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        var accepted = (await answers.Single(a => a.StatusCode == HttpStatusCode.Accepted).Content.ReadFromJsonAsync<InvoiceRunResponse>())!;
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Accepted))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("runId").GetGuid().ShouldBe(accepted.Id);
            problem.GetProperty("errors").TryGetProperty("period", out _).ShouldBeTrue();
        }

        await hold.CommitAsync();
        (await BillingSeed.FollowAsync(op, $"/api/billing/invoice-runs/{accepted.Id}")).Status.ShouldBe(RunStatus.Succeeded);
        (await op.PostAsJsonAsync("/api/billing/invoice-runs", new { period = "2022-05" })).StatusCode
            .ShouldBe(HttpStatusCode.Accepted, "once it has ended, the month can run again");
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheAcceptedRun_TheConflict_AndThePoll()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>("/openapi/v1.json");

        var post = document!["paths"]!["/api/billing/invoice-runs"]!["post"]!["responses"]!;
        post["202"]!["content"]!["application/json"].ShouldNotBeNull();
        post["409"].ShouldNotBeNull();
        document["paths"]!["/api/billing/invoice-runs/{id}"]!["get"]!["responses"]!["200"].ShouldNotBeNull();
    }

    [Fact]
    public async Task ARunAnotherWorkerHolds_IsLeftAlone_UntilThatWorkerFallsSilent()
    {
        var runner = factory.Services.GetRequiredService<InvoiceRunner>();
        var (run, _) = await runner.QueueAsync(new BillingPeriod(2022, 6), null, "Operator", CancellationToken.None);
        await factory.Database.ScalarAsync<int>("UPDATE invoice_runs SET status = 'Running', updated_at = now() WHERE id = $1 RETURNING 1", run!.Id);

        await runner.RunAsync(run.Id, CancellationToken.None);

        (await factory.Database.ScalarAsync<string>("SELECT status || '/' || tenants_done FROM invoice_runs WHERE id = $1", run.Id))
            .ShouldBe("Running/0", "another worker holds it");

        await factory.Database.ScalarAsync<int>("UPDATE invoice_runs SET updated_at = now() - interval '3 minutes' WHERE id = $1 RETURNING 1", run.Id);
        await runner.RunAsync(run.Id, CancellationToken.None);

        (await factory.Database.ScalarAsync<string>("SELECT status FROM invoice_runs WHERE id = $1", run.Id)).ShouldBe("Succeeded", "taken over");
        await runner.RunAsync(run.Id, CancellationToken.None); // a finished run is never run again
        (await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invoice_runs WHERE id = $1 AND status = 'Succeeded'", run.Id)).ShouldBe(1);
    }
}

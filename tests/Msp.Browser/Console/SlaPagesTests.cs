using System.Net.Http.Json;
using System.Text.Json;
using Msp.Testing;

namespace Msp.Browser.Console;

/// <summary>The SLA pages of the console (issue 21, "SLAs"): a calendar's week with several ranges a day and a range
/// across midnight, closed days once or every year, its time zone; a policy's targets; which clients use each. What the
/// pages save is what the Slas API then answers, and a refused field is shown beside itself.</summary>
[Collection(nameof(PortalCollection))]
public sealed class SlaPagesTests(PortalFixture portal)
{
    [Fact]
    public async Task ACalendar_WithSplitDays_ANightShift_AndClosedDays_IsSavedAsTyped_AndItsClientsAreListed()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Oona Operator");
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);
        var api = operatorPerson.Api;
        var name = "Split " + Guid.NewGuid().ToString("N")[..8];
        var slas = new SlaScreens(visit);

        // A half-filled range and an unknown time zone are refused beside their fields, and nothing is created.
        await slas.OpenNewCalendarAsync();
        await slas.FillCalendarAsync(name, "Mars/Olympus", [new("Monday", 1, "08:00", "12:00")], []);
        await visit.Page.GetByLabel("Tuesday, range 2, from").FillAsync("14:00");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Create the calendar" }).ClickAsync();
        await Expect(visit.Page.GetByLabel("Tuesday, range 2, to")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(visit.Page.GetByText("Give both the start and the end, or leave both empty.")).ToBeVisibleAsync();
        await visit.Page.GetByLabel("Tuesday, range 2, from").FillAsync("");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Create the calendar" }).ClickAsync();
        await Expect(visit.Page.GetByLabel("Time zone")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(visit.Page.Locator("#timeZone-error")).ToContainTextAsync("IANA time zone");
        (await CalendarNamedAsync(api, name)).ShouldBeNull("a refused calendar is not created");

        // Corrected: Monday split around lunch, Friday's night shift past midnight, Christmas every year and one closed day.
        await slas.FillCalendarAsync(name, "Europe/Paris",
        [
            new("Monday", 1, "08:00", "12:00"), new("Monday", 2, "13:30", "18:00"),
            new("Wednesday", 1, "09:00", "17:00"),
            new("Friday", 1, "22:00", "06:00"),
        ],
        [new("2026-12-25", "Christmas", true), new("2027-05-14", "Office move", false)]);
        await Expect(visit.Page.GetByText("Runs past midnight.")).ToHaveCountAsync(0); // said once saved, from what was saved
        var id = await slas.SaveCalendarAsync();
        await Expect(visit.Page.GetByText("Runs past midnight.")).ToBeVisibleAsync();

        var saved = await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{id}");
        saved.GetProperty("timeZone").GetString().ShouldBe("Europe/Paris");
        Hours(saved).ShouldBe(["Monday 08:00-12:00", "Monday 13:30-18:00", "Wednesday 09:00-17:00", "Friday 22:00-06:00"]);
        Holidays(saved).ShouldBe(["2026-12-25 Christmas every year", "2027-05-14 Office move once"]);

        // Edited: the office move removed, Wednesday's range moved; the rest kept as it was.
        await visit.Page.GetByLabel("Remove Office move").CheckAsync();
        await visit.Page.GetByLabel("Wednesday, range 1, from").FillAsync("10:00");
        await slas.SaveCalendarAsync("Save");
        saved = await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{id}");
        Hours(saved).ShouldBe(["Monday 08:00-12:00", "Monday 13:30-18:00", "Wednesday 10:00-17:00", "Friday 22:00-06:00"]);
        Holidays(saved).ShouldBe(["2026-12-25 Christmas every year"]);

        // A day takes as many ranges as the API does: a full day shows one empty range more, and every range is kept.
        await visit.Page.GetByLabel("Monday, range 3, from").FillAsync("18:30");
        await visit.Page.GetByLabel("Monday, range 3, to").FillAsync("20:00");
        await slas.SaveCalendarAsync("Save");
        await visit.Page.GetByLabel("Monday, range 4, from").FillAsync("21:00");
        await visit.Page.GetByLabel("Monday, range 4, to").FillAsync("22:00");
        await slas.SaveCalendarAsync("Save");
        await Expect(visit.Page.GetByLabel("Monday, range 4, from")).ToHaveValueAsync("21:00");
        await Expect(visit.Page.GetByLabel("Monday, range 5, from")).ToHaveValueAsync("");
        await visit.ShowsAsync("console-sla-calendar");
        var week = new[] { "Monday 08:00-12:00", "Monday 13:30-18:00", "Monday 18:30-20:00", "Monday 21:00-22:00", "Wednesday 10:00-17:00", "Friday 22:00-06:00" };
        Hours(await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{id}")).ShouldBe(week);

        // Open around the clock keeps the hours (the page says so), and they count again once it is unticked.
        await visit.Page.GetByLabel("Open around the clock").CheckAsync();
        await slas.SaveCalendarAsync("Save");
        saved = await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{id}");
        saved.GetProperty("alwaysOpen").GetBoolean().ShouldBeTrue();
        Hours(saved).ShouldBe(week);
        await Expect(visit.Page.GetByLabel("Monday, range 4, from")).ToHaveValueAsync("21:00");
        await visit.Page.GetByLabel("Open around the clock").UncheckAsync();
        await slas.SaveCalendarAsync("Save");
        saved = await api.GetFromJsonAsync<JsonElement>($"/api/slas/calendars/{id}");
        saved.GetProperty("alwaysOpen").GetBoolean().ShouldBeFalse();
        Hours(saved).ShouldBe(week);

        // A client put on it is listed on the calendar's page and counted on the SLA overview.
        var (tenant, _) = await portal.TenantAsync();
        var clientName = (await api.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("name").GetString()!;
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/slas/tenants/{tenant}")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "Slas knows the client");
        var defaultPolicy = (await api.GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant}")).GetProperty("policyName").GetString()!;
        await slas.PutClientOnAsync(tenant, $"The default policy ({defaultPolicy})", name);
        await visit.GoAsync($"/console/slas/calendars/{id}");
        await Expect(visit.Page.GetByRole(AriaRole.Region, new() { Name = "Clients whose hours follow this calendar" }).GetByRole(AriaRole.Link, new() { Name = clientName })).ToBeVisibleAsync();
        await visit.GoAsync("/console/slas");
        await Expect(visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("Mon 08:00–12:00, 13:30–18:00");
        await Expect(visit.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name }).Locator("td").Last).ToHaveTextAsync("1");
        await visit.ShowsAsync("console-slas");

        // In use, it cannot be deleted, and the page says why.
        await visit.GoAsync($"/console/slas/calendars/{id}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Delete the calendar" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The calendar is used by a policy or a client");
        (await api.GetAsync($"/api/slas/calendars/{id}")).IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task APolicy_IsSavedWithItsTargets_ARefusedTargetIsShownBesideIt_AndItsClientsAreListed()
    {
        var operatorPerson = await portal.StaffAsync("Operator", "Olaf Operator");
        await using var visit = await portal.SignedInVisitAsync(operatorPerson);
        var api = operatorPerson.Api;
        var name = "Gold " + Guid.NewGuid().ToString("N")[..8];
        var slas = new SlaScreens(visit);
        // A calendar whose hours the API holds Sunday first, with a closed day on the 1st of November.
        var calendarName = "Week " + Guid.NewGuid().ToString("N")[..8];
        (await api.PostAsJsonAsync("/api/slas/calendars", new
        {
            name = calendarName, timeZone = "Europe/Rome",
            hours = new[] { new { day = "Sunday", start = "10:00", end = "14:00" }, new { day = "Monday", start = "09:00", end = "17:00" } },
            holidays = new[] { new { date = "2026-11-01", name = "All Saints", recurring = false } },
        })).EnsureSuccessStatusCode();

        var id = await slas.CreatePolicyAsync(name, calendarName, 80, new Dictionary<string, (int, int, bool)>
        {
            ["P1"] = (15, 120, true), ["P2"] = (30, 240, false), ["P3"] = (120, 960, false), ["P4"] = (480, 2400, false),
        });
        var saved = await api.GetFromJsonAsync<JsonElement>($"/api/slas/policies/{id}");
        saved.GetProperty("warningPercent").GetInt32().ShouldBe(80);
        saved.GetProperty("targets").EnumerateArray()
            .Select(t => $"{t.GetProperty("priority").GetString()} {t.GetProperty("firstResponseMinutes").GetInt32()}/{t.GetProperty("resolutionMinutes").GetInt32()} {t.GetProperty("aroundTheClock").GetBoolean()}")
            .ShouldBe(["P1 15/120 True", "P2 30/240 False", "P3 120/960 False", "P4 480/2400 False"]);

        // A target of a year and more, and a warning of 100 %, are the API's to refuse: each is shown beside its field.
        await visit.Page.GetByLabel("P3 resolution in minutes").FillAsync("999999");
        await visit.Page.GetByLabel("Warning at (% of the target)").FillAsync("100");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(visit.Page.GetByLabel("P3 resolution in minutes")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(visit.Page.GetByLabel("Warning at (% of the target)")).ToHaveAttributeAsync("aria-invalid", "true");
        (await api.GetFromJsonAsync<JsonElement>($"/api/slas/policies/{id}")).GetProperty("warningPercent").GetInt32().ShouldBe(80, "nothing of a refused form is saved");

        // A client on it is listed, and the policy cannot be deleted while it is.
        var (tenant, _) = await portal.TenantAsync();
        var clientName = (await api.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}")).GetProperty("name").GetString()!;
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/slas/tenants/{tenant}")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "Slas knows the client");
        var gone = await api.PostAsJsonAsync("/api/slas/policies", new
        {
            name = "Gone " + Guid.NewGuid().ToString("N")[..8], calendarId = saved.GetProperty("calendarId").GetGuid(),
            targets = new[] { "P1", "P2", "P3", "P4" }.Select(priority => new { priority, firstResponseMinutes = 60, resolutionMinutes = 480, aroundTheClock = false }),
        });
        gone.EnsureSuccessStatusCode();
        var goneId = (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await slas.PutClientOnAsync(tenant, name, "The policy's calendar");
        (await api.GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant}")).GetProperty("policyId").GetGuid().ShouldBe(id);

        // The client's SLA tab: the targets by priority (row headers), the hours Monday first, dates written day first.
        var tab = visit.Page.Locator("section.tab");
        await Expect(tab.GetByRole(AriaRole.Rowheader, new() { Name = "P1", Exact = true })).ToBeVisibleAsync();
        (await tab.GetByRole(AriaRole.Listitem).AllInnerTextsAsync()).ShouldBe(["Monday: 09:00–17:00", "Sunday: 10:00–14:00", "01/11/2026 All Saints"]);
        await visit.ShowsAsync("console-client-sla");

        // A refusal after a success: the earlier notice is not shown beside it.
        (await api.DeleteAsync($"/api/slas/policies/{goneId}")).EnsureSuccessStatusCode();
        await visit.Page.GetByLabel("Policy", new() { Exact = true }).SelectOptionAsync(goneId.ToString());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Put the client on them" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        (await api.GetFromJsonAsync<JsonElement>($"/api/slas/tenants/{tenant}")).GetProperty("policyId").GetGuid().ShouldBe(id);
        await visit.GoAsync($"/console/slas/policies/{id}");
        await Expect(visit.Page.GetByRole(AriaRole.Region, new() { Name = "Clients on this policy" }).GetByRole(AriaRole.Link, new() { Name = clientName })).ToBeVisibleAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Delete the policy" }).ClickAsync();
        await Expect(visit.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Clients are on this policy");
    }

    private static async Task<JsonElement?> CalendarNamedAsync(HttpClient api, string name)
    {
        var page = await api.GetFromJsonAsync<JsonElement>("/api/slas/calendars?limit=200");
        return page.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("name").GetString() == name).Select(c => (JsonElement?)c).FirstOrDefault();
    }

    private static string[] Hours(JsonElement calendar) =>
        [.. calendar.GetProperty("hours").EnumerateArray().Select(h => $"{h.GetProperty("day").GetString()} {h.GetProperty("start").GetString()}-{h.GetProperty("end").GetString()}")];

    private static string[] Holidays(JsonElement calendar) =>
        [.. calendar.GetProperty("holidays").EnumerateArray().Select(h => $"{h.GetProperty("date").GetString()} {h.GetProperty("name").GetString()} {(h.GetProperty("recurring").GetBoolean() ? "every year" : "once")}")];
}

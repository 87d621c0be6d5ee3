using Msp.ServiceDefaults.Tenancy;
using Msp.Tickets.Domain;

namespace Msp.Tickets.Tests.Domain;

/// <summary>The moves a ticket offers are exactly the moves it accepts: the screens show only buttons that work.</summary>
public sealed class AllowedMovesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ReopenWindow = TimeSpan.FromDays(7);
    private static readonly Actor Staff = new(Guid.CreateVersion7(), MspRoles.Technician, null);

    /// <summary>The states a ticket can be in, each reached by the moves that lead there; "Resolved long ago" is past
    /// the reopen window.</summary>
    public static readonly TheoryData<string> States =
        ["New", "Open", "InProgress", "WaitingOnCustomer", "WaitingOnThirdParty", "Resolved", "Resolved long ago", "Closed", "Cancelled"];

    private static Ticket In(string state)
    {
        var requester = Guid.CreateVersion7();
        var ticket = Ticket.Open(Guid.CreateVersion7(), 1, "acme",
            new TicketDraft("Printer", "Jammed", requester, TicketSource.Portal, null, Level.Low, Level.Low), Staff, Now.AddDays(-30));
        var resolvedAt = state == "Resolved long ago" ? Now.AddDays(-8) : Now.AddHours(-1);
        switch (state)
        {
            case "New":
                break;
            case "Resolved" or "Resolved long ago":
                ticket.ChangeStatus(TicketStatus.Resolved, null, Staff, resolvedAt, ReopenWindow);
                break;
            case "Closed":
                ticket.ChangeStatus(TicketStatus.Resolved, null, Staff, resolvedAt, ReopenWindow);
                ticket.ChangeStatus(TicketStatus.Closed, null, Staff, resolvedAt, ReopenWindow);
                break;
            default:
                ticket.ChangeStatus(Enum.Parse<TicketStatus>(state), null, Staff, Now.AddDays(-1), ReopenWindow);
                break;
        }

        return ticket;
    }

    private static IEnumerable<Actor> Actors(Guid tenantId) =>
    [
        new(Guid.CreateVersion7(), MspRoles.ClientUser, tenantId),
        new(Guid.CreateVersion7(), MspRoles.ClientAdmin, tenantId),
        Staff,
        new(Guid.CreateVersion7(), MspRoles.Admin, null),
    ];

    [Theory]
    [MemberData(nameof(States))]
    public void TheMovesOffered_AreExactlyTheMovesAccepted(string state)
    {
        foreach (var actor in Actors(In(state).TenantId))
        {
            var offered = In(state).AllowedMoves(actor, Now, ReopenWindow);
            foreach (var to in Enum.GetValues<TicketStatus>())
            {
                var accepted = true;
                try
                {
                    In(state).ChangeStatus(to, null, actor, Now, ReopenWindow);
                }
                catch (TicketRuleException)
                {
                    accepted = false;
                }

                offered.Contains(to).ShouldBe(accepted, $"{actor.Role} on a {state} ticket, to {to}");
            }
        }
    }

    [Theory]
    [InlineData("New", MspRoles.ClientUser, new[] { TicketStatus.Cancelled })]
    [InlineData("WaitingOnCustomer", MspRoles.ClientAdmin, new[] { TicketStatus.Cancelled })]
    [InlineData("Resolved", MspRoles.ClientUser, new[] { TicketStatus.Open, TicketStatus.Closed })]
    [InlineData("Resolved long ago", MspRoles.ClientUser, new[] { TicketStatus.Closed })]
    [InlineData("Resolved long ago", MspRoles.Technician, new[] { TicketStatus.Open, TicketStatus.Closed })]
    [InlineData("Closed", MspRoles.Admin, new TicketStatus[0])]
    [InlineData("New", MspRoles.Operator, new[]
    {
        TicketStatus.Open, TicketStatus.InProgress, TicketStatus.WaitingOnCustomer, TicketStatus.WaitingOnThirdParty, TicketStatus.Resolved, TicketStatus.Cancelled,
    })]
    public void WhatEachRoleIsOffered(string state, string role, TicketStatus[] expected)
    {
        var ticket = In(state);
        var actor = new Actor(Guid.CreateVersion7(), role, role.StartsWith("Client", StringComparison.Ordinal) ? ticket.TenantId : null);

        ticket.AllowedMoves(actor, Now, ReopenWindow).ShouldBe(expected, ignoreOrder: true);
    }
}

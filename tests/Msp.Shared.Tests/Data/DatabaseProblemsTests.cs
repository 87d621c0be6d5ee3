using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Msp.Data;
using Npgsql;

namespace Msp.Shared.Tests.Data;

/// <summary>The one place that maps database errors to problems: a unique violation is 409 and a foreign key 400, each
/// naming the field by the constraint's name or by the field a service declared for it.</summary>
public sealed class DatabaseProblemsTests
{
    private readonly DatabaseProblems problems = new([new ConstraintField("ux_users_normalized_user_name", "email", "A user with this email exists already.")],
        NullLogger<DatabaseProblems>.Instance);

    private static PostgresException Error(string state, string? constraint, string? table, string message = "x", string? column = null) =>
        new(message, "ERROR", "ERROR", state, tableName: table, constraintName: constraint, columnName: column);

    private static (int? Status, string Field, string Message) Read(ProblemDetails? problem)
    {
        problem.ShouldNotBeNull();
        var errors = (Dictionary<string, string[]>)problem.Extensions["errors"]!;
        return (problem.Status, errors.Keys.Single(), errors.Values.Single()[0]);
    }

    [Theory]
    [InlineData("ticket_queues_name_key", "ticket_queues", "name")]
    [InlineData("tickets_category_fkey", "tickets", "category")]
    [InlineData("ux_tenants_slug", "tenants", "slug")]
    [InlineData("tenant_sla_settings_policy_id_fkey", "tenant_sla_settings", "policyId")]
    [InlineData("billing_accounts_pkey", "billing_accounts", "id")]
    [InlineData("time_entries_minutes_check", "time_entries", "minutes")]
    public void AConstraintsField_IsReadFromItsName(string constraint, string table, string field) =>
        DatabaseProblems.FieldOfConstraint(constraint, table).ShouldBe(field);

    [Fact]
    public void AUniqueViolation_Is409_NamingTheDeclaredField_ThroughEfOrNot()
    {
        var unique = Error(PostgresErrorCodes.UniqueViolation, "ux_users_normalized_user_name", "users");

        Read(problems.ToProblem(new DbUpdateException("save", unique))).ShouldBe((409, "email", "A user with this email exists already."));
        Read(problems.ToProblem(unique)).Status.ShouldBe(409);
        Read(problems.ToProblem(Error(PostgresErrorCodes.UniqueViolation, "ticket_queues_name_key", "ticket_queues"))).Field.ShouldBe("name");
    }

    [Fact]
    public void AForeignKeyViolation_Is400_OrIs409WhenTheRowIsStillReferenced()
    {
        Read(problems.ToProblem(Error(PostgresErrorCodes.ForeignKeyViolation, "tickets_category_fkey", "tickets",
            "insert or update on table \"tickets\" violates foreign key constraint"))).ShouldBe((400, "category", "No such category."));
        Read(problems.ToProblem(Error(PostgresErrorCodes.ForeignKeyViolation, "sla_policies_calendar_id_fkey", "sla_policies",
            "update or delete on table \"sla_calendars\" violates foreign key constraint"))).Status.ShouldBe(409);
    }

    [Fact]
    public void ConcurrencyFailures_Are409_AndOtherErrorsAreNotMapped()
    {
        problems.ToProblem(new DbUpdateConcurrencyException("stale"))!.Status.ShouldBe(409);
        problems.ToProblem(Error(PostgresErrorCodes.SerializationFailure, null, null))!.Status.ShouldBe(409);
        problems.ToProblem(Error(PostgresErrorCodes.DeadlockDetected, null, null))!.Status.ShouldBe(409);
        Read(problems.ToProblem(Error(PostgresErrorCodes.NotNullViolation, null, "tickets", column: "requester_id"))).ShouldBe((400, "requesterId", "The requesterId is required."));
        Read(problems.ToProblem(Error(PostgresErrorCodes.CharacterNotInRepertoire, null, null))).Field.ShouldBe("body");
        problems.ToProblem(Error(PostgresErrorCodes.UndefinedTable, null, null)).ShouldBeNull("a bug is a 500");
        problems.ToProblem(new InvalidOperationException()).ShouldBeNull();
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Msp.ServiceDefaults.Hosting;

namespace Msp.Data;

/// <summary>What a caller is told when the database refuses a write that raced another one.</summary>
public sealed class DatabaseProblems : IExceptionProblems
{
    public ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Concurrent change",
            Detail = "The resource was changed by someone else; read it again and retry.",
        },
        _ => null,
    };
}

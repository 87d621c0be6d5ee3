using Msp.Web.Api;
using Msp.Web.OperatorConsole.Reports;

namespace Msp.Web.Tests.Console.Reports;

public sealed class SlaReportTests
{
    [Theory]
    [InlineData("Acme", "Acme")]
    [InlineData("Acme, Ltd", "\"Acme, Ltd\"")]
    [InlineData("The \"Best\" Co", "\"The \"\"Best\"\" Co\"")]
    [InlineData("Two\nlines", "\"Two\nlines\"")]
    public void Field_QuotesWhatWouldBreakTheRow(string value, string expected) => SlaReport.Field(value).ShouldBe(expected);

    [Fact]
    public void Csv_HasOneRowPerClient_WithTheFiguresAsSlasGaveThem()
    {
        var id = Guid.NewGuid();
        var csv = SlaReport.Csv([
            new SlaReport.Row(id, "Acme, Ltd", new Compliance("2026-10", 4, 3, 1, 0, 75)),
            new SlaReport.Row(id, "Quiet", new Compliance("2026-10", 0, 0, 0, 0, null)),
        ]);

        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "client,client_id,period,tickets,met,breached,pending,compliance_percent",
            $"\"Acme, Ltd\",{id},2026-10,4,3,1,0,75",
            $"Quiet,{id},2026-10,0,0,0,0,",
        ]);
    }
}

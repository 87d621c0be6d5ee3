namespace Msp.Tickets;

/// <summary>Bound from <c>Msp:Tickets</c>.</summary>
public sealed class TicketsOptions
{
    public const string Section = "Msp:Tickets";

    /// <summary>How long after the resolution a client's reply reopens the ticket.</summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a resolved ticket waits before the scheduled job closes it.</summary>
    public TimeSpan AutoCloseAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>When the auto-close job looks for such tickets: a cron expression in UTC (every minute). Six fields
    /// give seconds.</summary>
    public string AutoCloseSchedule { get; set; } = "* * * * *";

    /// <summary>When the changes of the tickets' status counts are folded into them (StatusCountsJob): every minute.</summary>
    public string StatusCountsSchedule { get; set; } = "* * * * *";

    /// <summary>The kinds of work time is logged as (billing prices each).</summary>
    public string[] WorkTypes { get; set; } = ["Remote", "OnSite", "Travel", "Project"];

    /// <summary>Where attachment files are kept, one folder per tenant; the database keeps their metadata.</summary>
    public string AttachmentsPath { get; set; } = Path.Combine(Path.GetTempPath(), "msp-attachments");

    public long MaxAttachmentBytes { get; set; } = 25 * 1024 * 1024;
}

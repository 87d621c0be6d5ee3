namespace Msp.Web;

/// <summary>Bound from <c>Msp:Web</c>.</summary>
public sealed class WebOptions
{
    public const string Section = "Msp:Web";

    /// <summary>Where the web app reaches the services: the gateway, like any client.</summary>
    public Uri GatewayUrl { get; set; } = new("http://127.0.0.1:8080");

    /// <summary>Render a missing text as <c>⟦Key⟧</c> (development and tests) instead of falling back to English.</summary>
    public bool MarkMissingText { get; set; }

    /// <summary>How long a session lasts without a request (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public int MaxAttachments { get; set; } = 5;

    /// <summary>The Tickets service's cap on one file, explained on the forms before anything is sent.</summary>
    public long MaxAttachmentBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Addresses, besides loopback, of proxies (the gateway) whose <c>X-Forwarded-*</c> the web app trusts.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>What a form with files may carry: every file at its cap, and the form's fields.</summary>
    public long UploadBodyBytes => MaxAttachments * MaxAttachmentBytes + 1024 * 1024;
}

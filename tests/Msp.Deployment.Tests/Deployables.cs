namespace Msp.Deployment.Tests;

/// <summary>What Msp deploys: seven processes, five of them with a database of their own.</summary>
public static class Deployables
{
    public static readonly string[] All = ["gateway", "web", "tenants", "tickets", "slas", "billing", "mail"];

    public static readonly string[] WithDatabase = ["tenants", "tickets", "slas", "billing", "mail"];

    /// <summary>Reached through the gateway: the web app and the services.</summary>
    public static readonly string[] BehindGateway = ["web", "tenants", "tickets", "slas", "billing", "mail"];
}

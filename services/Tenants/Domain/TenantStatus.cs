namespace Msp.Tenants.Domain;

public enum TenantStatus
{
    Active,
    Suspended,
    Offboarded,
}

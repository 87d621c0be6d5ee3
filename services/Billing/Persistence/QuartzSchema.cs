using Msp.ServiceDefaults.Persistence;
using Quartz;

namespace Msp.Billing.Persistence;

/// <summary>Quartz's PostgreSQL job store tables, as a migration. The SQL is the script Quartz itself ships for this
/// database (the one its <c>ProvisionSchema()</c> runs), with the default <c>qrtz_</c> prefix: our migration runner
/// applies it with the owner role, since the service's own role may not create tables. Its checksum changes with the
/// script, so a Quartz upgrade that changes the schema stops the start-up until a migration for it is written.</summary>
public static class QuartzSchema
{
    public const string Version = "0003_quartz_job_store";

    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    public static Migration Migration()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Quartz no longer ships {Resource}; write the job store migration by hand.");
        using var reader = new StreamReader(stream);
        return new Migration(Version, reader.ReadToEnd().Replace("{0}", "qrtz_").Replace("{1}", "qrtz_"));
    }
}

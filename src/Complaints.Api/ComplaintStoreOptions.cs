using Complaints.Api.Commanding;
using Complaints.Projections;
using Complaints.Projections.Analytics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace Complaints.Api;

/// <summary>The Marten store as the API runs it; the benchmarks build the very same one.</summary>
public static class ComplaintStoreOptions
{
    public const string Schema = "complaints";

    public static StoreOptions Create(string connectionString, ComplainantKeys keys)
    {
        var opts = new StoreOptions();
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = Schema;
        opts.Events.DatabaseSchemaName = Schema;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, ComplaintStore.StoreStateOnly);
        opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.AddComplaints(keys);
        // The async daemon looks for new events every 100 ms while events keep arriving (JasperFx's default is 250 ms),
        // which shortens the projection lag of the analytics tables; when quiet it keeps the default 1 s.
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
        // Under steady load the committed mark often sits just below a transaction still in flight; the daemon then
        // waits its slow polling time (1 s) before looking again. A notification at each commit wakes it instead.
        opts.Events.UseListenNotifyForEventAppends = true;
        opts.Schema.For<CommandReceipt>();
        // Every read of complainants' identities adds one: the auditors' list, newest first, must not sort them all.
        opts.Schema.For<Auditing.AdminAction>().Index(a => a.At).Index(a => a.Action);
        return opts;
    }
}

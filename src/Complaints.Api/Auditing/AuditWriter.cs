using System.Threading.Channels;
using Marten;

namespace Complaints.Api.Auditing;

/// <summary>
/// Puts records on the audit (<see cref="AdminAction"/>) for requests that must not be answered unrecorded: each caller
/// waits until its record is stored, and the records that come while one insert runs go together in the next, so that
/// a busy API writes one batch per round trip rather than a transaction per request.
/// </summary>
public sealed class AuditWriter(IDocumentStore store) : IAsyncDisposable
{
    private const int MaxBatch = 500;
    private readonly Channel<(AdminAction Record, TaskCompletionSource Stored)> _pending =
        Channel.CreateUnbounded<(AdminAction, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _writing;

    /// <summary>Completes once the record is stored; throws what the store threw when it could not be.</summary>
    public Task Record(AdminAction record, CancellationToken ct)
    {
        lock (_starting) _writing ??= Task.Run(WriteAll, CancellationToken.None);
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((record with { Details = AdminActionLog.Printable(record.Details) }, stored)))
            throw new ObjectDisposedException(nameof(AuditWriter), "The API is stopping.");
        return stored.Task.WaitAsync(ct);
    }

    private async Task WriteAll()
    {
        var batch = new List<(AdminAction Record, TaskCompletionSource Stored)>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await using var session = store.LightweightSession();
                session.Insert(batch.Select(b => b.Record).ToArray());
                await session.SaveChangesAsync();
                foreach (var (_, stored) in batch) stored.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, stored) in batch) stored.TrySetException(e);
            }
        }
    }

    /// <summary>What was taken before the API stops is still written.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        Task? writing;
        lock (_starting) writing = _writing;
        if (writing is not null) await writing;
    }
}

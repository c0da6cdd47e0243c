using Complaints.Api.CommandLine;
using JasperFx.CommandLine;
using Marten;
using Npgsql;

namespace Complaints.Api.Auditing;

public sealed class VerifyInput : NetCoreInput;

/// <summary>What the command line's verify found over the whole event store.</summary>
public sealed record ChainReport(int Streams, long Events, int Redacted, IReadOnlyList<ChainVerification> Failures)
{
    public bool Valid => Failures.Count == 0;
}

/// <summary>Recomputes the hash chain of every complaint; exits non-zero when any event does not match its seal.</summary>
[Description("Verify the tamper-evident hash chain of every complaint's history", Name = "verify")]
public sealed class VerifyCommand : CommandWithOwnOutput<VerifyInput>
{
    protected override async Task<bool> Run(VerifyInput input)
    {
        var host = input.BuildHost();
        var chain = new EventChain(host.Services.GetRequiredService<IDocumentStore>());
        try
        {
            return (await VerifyAll(chain, Console.Out, CancellationToken.None)).Valid;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            Console.Error.WriteLine($"The event store or its hash chain is not there ({e.MessageText}); start the API once to create them.");
            return false;
        }
    }

    /// <summary>The command's work: every stream checked, each failure written out as it is found.</summary>
    public static async Task<ChainReport> VerifyAll(EventChain chain, TextWriter output, CancellationToken ct)
    {
        var streams = 0;
        var events = 0L;
        var redacted = 0;
        var failures = new List<ChainVerification>();
        await foreach (var stream in chain.VerifyAll(ct))
        {
            streams++;
            events += stream.Events;
            redacted += stream.Redacted.Count;
            if (stream.FirstMismatch is not { } m) continue;
            failures.Add(stream);
            await output.WriteLineAsync(
                $"MISMATCH complaint {stream.ComplaintId} version {m.Version} (sequence {m.Sequence}): {m.Reason}; " +
                $"expected {m.ExpectedHash ?? "-"}, stored {m.StoredHash ?? "-"}");
        }
        await output.WriteLineAsync(failures.Count == 0
            ? $"OK: {streams} complaints, {events} events verified ({redacted} redacted by lawful erasure)."
            : $"FAILED: {failures.Count} of {streams} complaints do not match their hash chain ({events} events).");
        return new ChainReport(streams, events, redacted, failures);
    }
}

using System.Text;
using Microsoft.Extensions.Logging;

namespace Complaints.Api.Tests.Support;

/// <summary>
/// What a host's logging writes, kept and measured as the console would write it: a first line with the level,
/// category and event id, the message indented under it, and the exception's stack trace when there is one. Registered
/// without rules of its own, it sees exactly what the host's configured levels let through to every provider.
/// </summary>
public class CapturedLog : ILoggerProvider
{
    private long _bytes;
    private long _count;
    private readonly List<LogEntry> _entries = [];

    public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, string? Exception)
    {
        /// <summary>What the console writes for it, in bytes.</summary>
        public int Bytes { get; init; }

        public override string ToString() =>
            $"{Level} {Category}[{EventId}] {Message}{(Exception is null ? "" : " / " + Exception.Split('\n')[0])}";
    }

    /// <summary>The bytes written so far, UTF-8, as the console's simple format lays them out.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The entries written after the given count (entries are numbered in the order they were written).</summary>
    public IReadOnlyList<LogEntry> Since(long count)
    {
        lock (_entries) return _entries.Count > count ? _entries.GetRange((int)count, _entries.Count - (int)count) : [];
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Write(LogEntry entry)
    {
        // "info: Category[0]\n      message\n" and the exception's lines, as Microsoft.Extensions.Logging.Console writes them.
        var text = new StringBuilder()
            .Append("info: ").Append(entry.Category).Append('[').Append(entry.EventId).Append("]\n")
            .Append("      ").Append(entry.Message.Replace("\n", "\n      ")).Append('\n');
        if (entry.Exception is not null) text.Append(entry.Exception).Append('\n');
        entry = entry with { Bytes = Encoding.UTF8.GetByteCount(text.ToString()) };
        lock (_entries)
        {
            _entries.Add(entry);
            _bytes += entry.Bytes;
            _count++;
        }
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Write(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception?.ToString()));
    }
}

namespace Complaints.Api.Http;

/// <summary>
/// A request body may hold at most Complaints:Http:MaxBodyBytes (256 KiB: every field of the largest command at its own
/// limit, each character written as a six-byte JSON escape, fits): a larger one is 413 with problem details, refused by its
/// declared length before it is read, or as soon as a body sent without one passes the limit. Each field has its own
/// limit besides (400).
/// </summary>
public static class BodyLimit
{
    public const long DefaultMaxBytes = 256 * 1024;

    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app)
    {
        var max = app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue("Complaints:Http:MaxBodyBytes", DefaultMaxBytes);
        return app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (request.ContentLength > max) throw TooLarge(max);
            if (request.ContentLength is null && HttpMethods.IsPost(request.Method)) request.Body = new LimitedStream(request.Body, max);
            await next(http);
        });
    }

    private static BadHttpRequestException TooLarge(long max) =>
        new($"The request body is larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>A body read no further than the limit: the read that passes it fails.</summary>
    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Counted(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Counted(int read)
        {
            _read += read;
            if (_read > max) throw TooLarge(max);
            return read;
        }
    }
}

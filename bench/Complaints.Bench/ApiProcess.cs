using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Complaints.Api.Identity;
using Microsoft.Extensions.Configuration;

namespace Complaints.Bench;

/// <summary>
/// The real API (Complaints.Api.dll, copied beside the suite by the project reference) in a child process on a free
/// loopback port, so that its memory is its own and is sampled apart from the load generator's. Its output goes to a
/// log file beside the results.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly List<(TimeSpan At, long RssBytes)> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ApiProcess(Process process, Uri baseAddress, string logFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
        _sampler = Task.Run(Sample);
    }

    public Uri BaseAddress { get; }
    public string LogFile { get; }
    public int Pid => _process.Id;
    public TimeSpan Uptime => _clock.Elapsed;

    public static async Task<ApiProcess> Start(string connectionString, string logFile, Action<string> log, string? apiAssembly = null)
    {
        var dll = apiAssembly is null ? ApiAssembly() : Path.GetFullPath(apiAssembly);
        if (!File.Exists(dll)) throw new BenchUsageException($"no API assembly at {dll}");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ConnectionStrings__Complaints"] = connectionString;
        // Not Development (no developer pages) and not Production (which refuses the development signing key).
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        info.Environment["DOTNET_ENVIRONMENT"] = "Benchmark";
        // On loopback only, so the development keys may stand in for secrets a benchmark has no need of.
        info.Environment["Complaints__DevelopmentKeys"] = "true";
        // The suite is one caller for its commands and one for its reads, at rates no one caller should reach in use: its
        // commands wait for the database in one caller's queue, and its readers open thousands of cases an hour.
        info.Environment["Complaints__RateLimits__Commands__PermitLimit"] = "0";
        info.Environment["Complaints__RateLimits__Reads__PermitLimit"] = "0";
        info.Environment["Complaints__RateLimits__IdentityReads__PermitLimit"] = "0";
        info.Environment["Complaints__Http__QueuedCommandsPerCaller"] = "0";

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var writer = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (writer) writer.Flush(); };
        if (!process.Start()) throw new InvalidOperationException("the API did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Children.Add(process);

        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"), logFile);
        using var probe = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the API exited with code {process.ExitCode} while starting; its log: {logFile}\n{Tail(logFile)}");
            try
            {
                if ((await probe.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            if (watch.Elapsed > TimeSpan.FromMinutes(3))
                throw new InvalidOperationException($"the API did not answer /health/live within 3 minutes; its log: {logFile}");
            await Task.Delay(200);
        }
        log($"API started as process {process.Id} on {api.BaseAddress} in {watch.Elapsed.TotalSeconds:N1} s (log {logFile})");
        return api;
    }

    /// <summary>
    /// The API to start: the copy beside the suite when the suite runs as its own program; hosted by another program
    /// (the smoke test), the API project's own build output of the same configuration, since the host's folder holds
    /// assemblies (test frameworks) that the API's startup scan would try to load.
    /// </summary>
    public static string ApiAssembly()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Complaints.Api.dll");
        if (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "Complaints.Bench" && File.Exists(beside)) return beside;
        var configuration = typeof(ApiProcess).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        var root = BenchSuite.RepositoryRoot() ?? throw new InvalidOperationException("Complaints.slnx not found above " + AppContext.BaseDirectory);
        var own = Path.Combine(root, "src", "Complaints.Api", "bin", configuration, "net10.0", "Complaints.Api.dll");
        return File.Exists(own) ? own : throw new InvalidOperationException($"{own} is missing: build src/Complaints.Api ({configuration})");
    }

    /// <summary>A client for the API with a bearer token signed by the key the API validates with.</summary>
    public HttpClient Client(string user, params string[] roles)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, roles));
        return client;
    }

    /// <summary>Signed with the same settings the API reads (Authentication section; the development key unless configured).</summary>
    public static string Token(string user, params string[] roles)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddInMemoryCollection([KeyValuePair.Create(DevelopmentKeys.Switch, (string?)"true")])
            .AddEnvironmentVariables()
            .Build();
        return TokenSettings.Read(configuration).Issue(user, roles, TimeSpan.FromHours(12), DateTimeOffset.UtcNow);
    }

    /// <summary>The peak resident set size (working set) sampled in [from, to) of the process's life, in MiB.</summary>
    public double? PeakMiB(TimeSpan from, TimeSpan to)
    {
        lock (_samples)
        {
            var inWindow = _samples.Where(s => s.At >= from && s.At < to).Select(s => s.RssBytes).ToList();
            return inWindow.Count == 0 ? null : inWindow.Max() / 1024.0 / 1024.0;
        }
    }

    public double? CurrentMiB()
    {
        var rss = Rss(_process.Id);
        return rss is { } r ? r / 1024.0 / 1024.0 : null;
    }

    public bool HasExited => _process.HasExited;

    private async Task Sample()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (Rss(_process.Id) is { } rss) lock (_samples) _samples.Add((_clock.Elapsed, rss));
            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long? Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException)
        {
            // the process is gone
        }
        catch (UnauthorizedAccessException)
        {
            // not ours to read
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        if (!_process.HasExited)
        {
            // SIGTERM first, so that the API shuts down as it would in production (the daemon releases its lock).
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = kill(_process.Id, 15);
            else _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        Children.Remove(_process);
        _process.Dispose();
    }

    private static readonly HashSet<Process> Children = [];

    /// <summary>Kills API processes this suite started and left running (on Ctrl+C or a crash of the suite).</summary>
    public static void KillChildren()
    {
        foreach (var child in Children.ToList())
            try
            {
                if (!child.HasExited) child.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Tail(string file, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

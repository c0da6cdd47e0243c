using JasperFx.CommandLine;
using Spectre.Console;

namespace Complaints.Api.CommandLine;

/// <summary>
/// The API's program also runs command-line commands (token, import, verify, ...). A command prints what was asked of
/// it and its errors, and nothing else: not the host's logs, nor JasperFx's lines naming each assembly it searches for
/// commands. --verbose gives both back.
/// </summary>
public static class CommandLineOutput
{
    public const string VerboseFlag = "--verbose";

    /// <summary>A command other than the API itself ("run", or flags alone), without --verbose.</summary>
    public static bool IsQuiet(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !args[0].Equals("run", StringComparison.OrdinalIgnoreCase)
        && !args.Contains(VerboseFlag, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// What RunJasperFxCommands does for an already built host, with the search for commands kept off the console:
    /// JasperFx prints a line per assembly it searches, and a blank one after, while it registers the commands.
    /// </summary>
    public static Task<int> RunQuietly(IHost host, string[] args)
    {
        var source = new AlreadyBuiltHost(host);
        var executor = CommandExecutor.For(factory =>
        {
            var console = AnsiConsole.Console;
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
            try
            {
                factory.RegisterCommands(typeof(JasperFx.CommandLine.Commands.RunCommand).Assembly);
                factory.RegisterCommands(typeof(Program).Assembly);
                factory.RegisterCommandsFromExtensionAssemblies();
            }
            finally
            {
                AnsiConsole.Console = console;
            }
            factory.ConfigureRun = run =>
            {
                if (run.Input is IHostBuilderInput input) input.HostBuilder = source;
            };
        });
        return executor.ExecuteAsync(args);
    }

    /// <summary>The application's host, built by Program.cs before the command line is read; a command builds nothing else.</summary>
    private sealed class AlreadyBuiltHost(IHost host) : IHostBuilder
    {
        public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();

        public IHost Build() => host;

        // Flags such as --environment or --config cannot change a host that is built already.
        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => this;

        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => this;

        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate) => this;

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
            where TContainerBuilder : notnull => throw new NotSupportedException("the host is built already");

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => throw new NotSupportedException("the host is built already");

        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) =>
            throw new NotSupportedException("the host is built already");
    }
}

/// <summary>
/// A command of the API's command line: on failure it prints one line saying why (the whole exception with --verbose)
/// and exits non-zero.
/// </summary>
public abstract class CommandWithOwnOutput<TInput> : JasperFxAsyncCommand<TInput> where TInput : NetCoreInput
{
    public sealed override async Task<bool> Execute(TInput input)
    {
        try
        {
            return await Run(input);
        }
        catch (Exception e) when (!input.VerboseFlag)
        {
            await Console.Error.WriteLineAsync($"{CommandFactory.CommandNameFor(GetType())}: {e.Message}");
            return false;
        }
    }

    protected abstract Task<bool> Run(TInput input);
}

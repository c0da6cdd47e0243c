namespace Complaints.Bench;

public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (BenchUsageException e)
        {
            if (e.Message != "usage") Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return e.Message == "usage" ? 0 : 2;
        }

        Console.CancelKeyPress += (_, _) => ApiProcess.KillChildren();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ApiProcess.KillChildren();
        try
        {
            var run = await BenchSuite.Run(options, Console.Out);
            Console.WriteLine();
            Console.WriteLine(run.Report.Markdown());
            Console.WriteLine($"Written to {run.MarkdownFile} and {run.JsonFile}");
            return 0;
        }
        catch (BenchUsageException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"The benchmark failed: {e}");
            ApiProcess.KillChildren();
            return 1;
        }
    }
}

using Complaints.Api.Tests.Support;
using Complaints.Bench;
using Complaints.Bench.Steps;
using Shouldly;

namespace Complaints.Api.Tests.Bench;

/// <summary>
/// The benchmark suite's smoke run (--smoke: a tiny population, one-second steps) on a database of its own, so that
/// the suite keeps working as the API changes. It asserts that every step measured something, not that the goals are
/// met: figures from a shared CI machine say nothing about speed.
/// </summary>
public sealed class BenchSmokeTests
{
    private static readonly string[] Steps =
        ["1 raw PostgreSQL", "2 Marten direct", "3 command path", "4 projection lag", "5 rebuild", "6 reads", "7 memory soak", "8 import"];

    [Fact]
    public async Task a_smoke_run_of_the_suite_reports_a_figure_for_every_step_and_a_verdict_for_every_goal()
    {
        var database = (Environment.GetEnvironmentVariable("COMPLAINTS_TEST_DATABASE") ?? "complaints_api_tests") + "_bench";
        var connection = await TestDatabase.Create(database);
        var output = Directory.CreateTempSubdirectory("complaints-bench-smoke-");
        var log = new StringWriter();
        var hasSample = ImportStep.Find(null) is not null;
        try
        {
            var run = await BenchSuite.Run(BenchOptions.Parse(["--smoke", "--connection", connection, "--output", output.FullName]), log);
            var report = run.Report;

            report.Server.ShouldContain(s => s.Key == "synchronous_commit" && s.Value == "on", "the suite measures durable commits");
            report.Population!.Complaints.ShouldBeGreaterThanOrEqualTo(200);
            foreach (var step in Steps)
            {
                var rows = report.Rows.Where(r => r.Step == step).ToList();
                rows.ShouldNotBeEmpty($"step {step} reported nothing\n{log}");
                if (step == "8 import" && !hasSample) continue;
                rows.ShouldAllBe(r => r.Value != null && r.Value > 0, $"step {step} has a row without a figure\n{log}");
            }
            report.Rows.Where(r => r.Baseline != null && r.BaselineValue != null).ShouldAllBe(r => r.Ratio != null);
            report.Rows.ShouldContain(r => r.Measure.StartsWith("pgbench"), "pgbench ran");

            report.Goals.Count.ShouldBe(7);
            report.Goals.ShouldAllBe(g => g.Figure != null && g.Met != null, $"a goal was not measured:\n{report.Markdown()}");

            var markdown = await File.ReadAllTextAsync(run.MarkdownFile);
            foreach (var step in Steps) markdown.ShouldContain($"| {step} |");
            (await File.ReadAllTextAsync(run.JsonFile)).ShouldContain("\"goals\"");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}

using Complaints.Api.Tests.Support;
using Complaints.Projections.Analytics;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>The columns of analytics.complaint_cases that docs/analytics.md lists are the ones the projection declares, in order.</summary>
public sealed class DocumentedColumnsTests
{
    [Fact]
    public async Task the_documented_case_columns_are_the_declared_ones()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(TestDatabase.RepositoryRoot(), "docs", "analytics.md"));
        var header = Array.IndexOf(lines, "| column | type | what it holds |");
        header.ShouldBeGreaterThan(-1, "docs/analytics.md has no table of the case columns");
        var documented = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => $"{cells[1].Trim('`')} {cells[2]}")
            .ToList();
        documented.ShouldBe(AnalyticsTables.CaseColumns.Select(c => $"{c.Name} {c.Type}").ToList());
    }
}

using Complaints.Api.Tests.Support;
using Shouldly;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>The client other services compile against is the one the live document makes, so the two cannot drift apart.</summary>
public sealed class ClientGenerationTests(ApiFixture fixture)
{
    /// <summary>Set to 1 to write the generated client over the committed one.</summary>
    public const string RefreshVariable = "COMPLAINTS_REFRESH_CLIENT";

    [Fact]
    public async Task the_committed_client_is_the_one_the_live_document_generates()
    {
        var generated = await ClientGeneration.Generate(await LiveDocument.Text(fixture.Host));
        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
            await File.WriteAllTextAsync(ClientGeneration.CommittedFile, generated, TestContext.Current.CancellationToken);

        var committed = File.Exists(ClientGeneration.CommittedFile)
            ? (await File.ReadAllTextAsync(ClientGeneration.CommittedFile, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n")
            : "";
        (committed == generated).ShouldBeTrue(
            $"src/Complaints.Client/ComplaintsClient.g.cs is not what the OpenAPI document generates now; refresh it with " +
            $"{RefreshVariable}=1 dotnet test test/Complaints.Api.Tests --filter {nameof(ClientGenerationTests)} " +
            $"(first difference at line {FirstDifference(committed, generated)}).");
    }

    private static int FirstDifference(string a, string b)
    {
        var (left, right) = (a.Split('\n'), b.Split('\n'));
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
            if (left[i] != right[i]) return i + 1;
        return Math.Min(left.Length, right.Length) + 1;
    }
}

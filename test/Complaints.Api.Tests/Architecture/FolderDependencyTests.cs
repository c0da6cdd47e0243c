using System.Text.RegularExpressions;
using Complaints.Api.Tests.Support;
using Shouldly;

namespace Complaints.Api.Tests.Architecture;

/// <summary>
/// The API's folders depend on each other one way only: a folder that another depends on never reaches back into it,
/// directly or round a circle. Read from the source, where a folder's namespace is named (a using, a qualified name, a
/// global using).
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void no_folder_of_the_api_depends_on_itself_round_a_circle()
    {
        var root = Path.Combine(TestDatabase.RepositoryRoot(), "src", "Complaints.Api");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")).ToHashSet();
        var sources = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Folder: Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar) is [var top, _, ..] ? top : null, Text: File.ReadAllText(f)))
            .ToList();
        var global = sources.Where(s => s.Folder is null).SelectMany(s => GlobalUsing().Matches(s.Text).Select(m => m.Groups[1].Value)).ToHashSet();

        // A namespace used everywhere (a global using) counts only where one of its types is named.
        var declared = global.ToDictionary(g => g, g => sources.Where(s => s.Folder == g)
            .SelectMany(s => Declared().Matches(s.Text).Select(m => m.Groups[1].Value)).ToHashSet());
        var uses = folders.ToDictionary(f => f!, _ => new HashSet<string>());
        foreach (var (folder, text) in sources.Where(s => s.Folder is not null))
        {
            var code = Comment().Replace(text, "");
            var words = Word().Matches(code).Select(m => m.Value).ToHashSet();
            foreach (var named in Named().Matches(code).Select(m => m.Groups[1].Value)
                         .Concat(global.Where(g => declared[g].Overlaps(words))))
                if (named != folder && folders.Contains(named)) uses[folder!].Add(named);
        }
        uses.Values.Sum(u => u.Count).ShouldBeGreaterThan(5, "the scan found the folders' dependencies");

        foreach (var start in uses.Keys)
            Circle(start, start, uses, [start]).ShouldBeNull($"a circle of folders: {string.Join(" → ", Circle(start, start, uses, [start]) ?? [])}");
    }

    /// <summary>A path from start back to itself, if there is one.</summary>
    private static List<string>? Circle(string start, string at, Dictionary<string, HashSet<string>> uses, List<string> path)
    {
        foreach (var next in uses[at])
        {
            if (next == start) return [.. path, next];
            if (path.Contains(next)) continue;
            if (Circle(start, next, uses, [.. path, next]) is { } circle) return circle;
        }
        return null;
    }

    [GeneratedRegex(@"\bComplaints\.Api\.(\w+)")]
    private static partial Regex Named();

    [GeneratedRegex(@"global using Complaints\.Api\.(\w+);")]
    private static partial Regex GlobalUsing();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex Declared();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Word();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();
}

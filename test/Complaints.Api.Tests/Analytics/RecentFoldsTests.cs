using Complaints.Domain;
using Complaints.Projections.Analytics;
using Shouldly;

namespace Complaints.Api.Tests.Analytics;

/// <summary>A kept fold is used only at the version it was folded to, and the folds kept stay within their bound.</summary>
public sealed class RecentFoldsTests
{
    private static RecentFolds.Fold FoldAt(long version) => new(version, new Complaint { Version = version }, "key");

    [Fact]
    public void a_fold_is_given_only_for_the_version_it_was_folded_to()
    {
        var folds = new RecentFolds();
        var id = Guid.NewGuid();
        folds.Keep(id, FoldAt(3));

        folds.TryGet(id, 3, out var kept).ShouldBeTrue();
        kept.Case.Version.ShouldBe(3);
        folds.TryGet(id, 2, out _).ShouldBeFalse(); // a batch that starts earlier: the projection ran elsewhere, or began again
        folds.TryGet(id, 4, out _).ShouldBeFalse(); // events this node never folded
        folds.TryGet(Guid.NewGuid(), 3, out _).ShouldBeFalse();
    }

    [Fact]
    public void the_older_generation_is_dropped_when_the_newer_fills()
    {
        var folds = new RecentFolds(perGeneration: 2);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids) folds.Keep(id, FoldAt(1));

        // The fifth began a new generation; the third and fourth are the older one; the first two were dropped with theirs.
        foreach (var id in ids[..2]) folds.TryGet(id, 1, out _).ShouldBeFalse();
        foreach (var id in ids[2..]) folds.TryGet(id, 1, out _).ShouldBeTrue();
    }

    [Fact]
    public void a_case_kept_again_is_given_at_its_newest_version()
    {
        var folds = new RecentFolds(perGeneration: 1);
        var id = Guid.NewGuid();
        folds.Keep(id, FoldAt(1));
        folds.Keep(Guid.NewGuid(), FoldAt(1)); // moves the case to the older generation
        folds.Keep(id, FoldAt(2));

        folds.TryGet(id, 2, out _).ShouldBeTrue();
        folds.TryGet(id, 1, out _).ShouldBeFalse();
    }
}

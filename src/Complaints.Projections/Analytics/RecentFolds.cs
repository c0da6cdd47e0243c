using Complaints.Domain;

namespace Complaints.Projections.Analytics;

/// <summary>
/// The folds of the cases the analytics projection touched last, each with the stream version it was folded to, so that
/// the next batch that touches a case starts from there instead of reading and folding its earlier events again. A fold
/// is a function of events that never change, so a kept one is good exactly when its version is the one right before
/// the batch's first event of that case; any other (the projection ran elsewhere meanwhile, or a rebuild began again)
/// is folded afresh. Bounded: two generations of <see cref="PerGeneration"/> cases (about 0.9 KB each), the older
/// dropped whole when the newer fills. That holds every case being worked at once in a large office, so a rebuild reads
/// each case's events once.
/// </summary>
public sealed class RecentFolds(int perGeneration = RecentFolds.PerGeneration)
{
    public const int PerGeneration = 20_000;

    public readonly record struct Fold(long Version, Complaint Case, string? Key);

    private readonly Lock _lock = new();
    private Dictionary<Guid, Fold> _newer = [];
    private Dictionary<Guid, Fold> _older = [];

    /// <summary>The case folded up to <paramref name="version"/>, if that is what is kept.</summary>
    public bool TryGet(Guid id, long version, out Fold fold)
    {
        lock (_lock)
        {
            if (_newer.TryGetValue(id, out fold) || _older.TryGetValue(id, out fold)) return fold.Version == version;
            return false;
        }
    }

    public void Keep(Guid id, Fold fold)
    {
        lock (_lock)
        {
            if (_newer.Count >= perGeneration && !_newer.ContainsKey(id))
            {
                _older = _newer;
                _newer = new Dictionary<Guid, Fold>(perGeneration);
            }
            _newer[id] = fold;
        }
    }
}

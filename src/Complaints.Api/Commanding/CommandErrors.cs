namespace Complaints.Api.Commanding;

/// <summary>If-Match named a version that is no longer the complaint's current one.</summary>
public sealed class StaleVersion(Guid id, long expected, long current)
    : Exception($"If-Match named version \"{expected}\" of complaint {id}, but it is now at version \"{current}\"; fetch it again and retry.")
{
    public long Current { get; } = current;
}

public sealed class ComplaintNotFound(Guid id) : Exception($"There is no complaint {id}.");

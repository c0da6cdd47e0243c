using Complaints.Api.Commanding;
using System.Globalization;
using Complaints.Api.Http;
using Complaints.Projections.Complaints;
using Marten;

namespace Complaints.Api.Complaints.GettingDetails;

/// <summary>
/// Time travel: the case exactly as it was after a given version, or as the system showed it at a given moment,
/// folded live from the events by the same projection that keeps the current details.
/// </summary>
public static class ComplaintAsItWas
{
    /// <summary>
    /// The details as of <paramref name="version"/> (1 = just received) or <paramref name="at"/>: the events recorded
    /// (their stored timestamp, not the step's own at) up to and including that moment. Null with a problem to answer
    /// when there is no such version or the complaint was not yet recorded then.
    /// </summary>
    public static async Task<(ComplaintDetails? Details, IResult? Problem)> Load(IQuerySession session, Guid id, string? version, string? at,
        CancellationToken ct)
    {
        if (version is not null && at is not null)
            throw new BadRequest("Give either version or at, not both.");

        if (version is not null)
        {
            if (!long.TryParse(version.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) || wanted < 1)
                throw new BadRequest($"version must be a whole number from 1, not '{version}'.");
            var details = await session.Events.AggregateStreamAsync<ComplaintDetails>(id, version: wanted, token: ct);
            if (details is not null && details.Version == wanted) return (details, null);
            var state = await session.Events.FetchStreamStateAsync(id, ct) ?? throw new ComplaintNotFound(id);
            return (null, NotThen($"Complaint {id} has {state.Version} versions; there is no version {wanted}."));
        }

        if (!DateTimeOffset.TryParse(at!.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
            throw new BadRequest($"at must be a date or time such as 2026-03-01T09:30:00Z, not '{at}'.");
        var then = await session.Events.AggregateStreamAsync<ComplaintDetails>(id, timestamp: moment.ToUniversalTime(), token: ct);
        if (then is not null) return (then, null);
        return await session.Events.FetchStreamStateAsync(id, ct) is null
            ? throw new ComplaintNotFound(id)
            : (null, NotThen($"Complaint {id} had not been recorded yet at {moment.ToUniversalTime():O}."));
    }

    private static IResult NotThen(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such version of the complaint", detail: detail);
}

using JasperFx;
using Marten.Exceptions;
using Npgsql;

namespace Complaints.Api;

/// <summary>What a failed write to the store was, looking through the exceptions Marten and Wolverine wrap it in.</summary>
public static class StoreErrors
{
    /// <summary>A key, a stream id or a unique column was taken, by a racing request or an earlier import.</summary>
    public static bool IsDuplicate(Exception? e) => Any(e, x => x is DocumentAlreadyExistsException or ExistingStreamIdCollisionException
        or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation });

    /// <summary>The database refuses more connections (53300) or is starting or stopping (57P03): nothing was recorded.</summary>
    public static bool IsUnavailable(Exception? e) => Any(e, x => x is PostgresException { SqlState: "53300" or "57P03" });

    /// <summary>A schema object was created meanwhile by another start (42P07, 42710, 42P06, 42723, or a unique catalog row).</summary>
    public static bool IsCreatedMeanwhile(Exception? e) => Any(e, x => x is PostgresException
    {
        SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DuplicateSchema
            or PostgresErrorCodes.DuplicateFunction or PostgresErrorCodes.UniqueViolation,
    });

    private static bool Any(Exception? e, Func<Exception, bool> matches)
    {
        for (; e is not null; e = e.InnerException)
            if (matches(e)) return true;
        return false;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Complaints.Api.Tracking;

/// <summary>A code drawn for a complainant: the code to show them once, and the hash that is recorded in its stead.</summary>
public sealed record DrawnAccessCode(string Code, string Hash);

/// <summary>
/// The complainant's access code: 80 bits from the operating system's cryptographic generator, written as 16 Crockford
/// base32 characters in groups of four (<c>7KQ4-M2XD-9PWA-H3TZ</c>), easy to read aloud over the phone: no I, L, O or U,
/// and when it is typed back, case, spaces and hyphens do not matter, and I or L reads as 1 and O as 0. Only the code's
/// SHA-256 is recorded. A plain hash is enough: with 2^80 codes, searching the hashes offline is as hopeless as guessing
/// the lookup, so no key has to be kept and rotated for it.
/// </summary>
public static class AccessCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 16;
    private const int Group = 4;

    /// <summary>Compared against when a case has no code, so that such a lookup does the same work as any other.</summary>
    private static readonly byte[] NoCode = RandomNumberGenerator.GetBytes(32);

    public static DrawnAccessCode Draw()
    {
        var code = RandomNumberGenerator.GetString(Alphabet, Length);
        return new DrawnAccessCode(string.Join('-', code.Chunk(Group).Select(g => new string(g))), HashOf(code));
    }

    /// <summary>The hash of a code as given (hex): the same for every way of writing the same code.</summary>
    public static string HashOf(string given) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(given))));

    /// <summary>Whether the code given is the one whose hash is recorded; in constant time, whatever the answer.</summary>
    public static bool Matches(string? recordedHash, string given)
    {
        var expected = recordedHash is { Length: 64 } ? Convert.FromHexString(recordedHash) : NoCode;
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(given)));
        return CryptographicOperations.FixedTimeEquals(expected, actual) && !ReferenceEquals(expected, NoCode);
    }

    private static string Canonical(string given)
    {
        var canonical = new StringBuilder(Length);
        foreach (var c in given)
            if (c is not ('-' or ' ' or '\t'))
                canonical.Append(char.ToUpperInvariant(c) switch { 'I' or 'L' => '1', 'O' => '0', var upper => upper });
        return canonical.ToString();
    }
}

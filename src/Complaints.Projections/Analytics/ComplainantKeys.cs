using System.Security.Cryptography;
using System.Text;
using Complaints.Domain;

namespace Complaints.Projections.Analytics;

/// <summary>
/// A one-way key for the complainant's contact (phone digits, else the email), so that repeat complainants can be
/// counted without the contact reaching the analytics tables. Keyed with a secret (HMAC), so that nobody holding
/// the tables can find a phone number by hashing every possible one.
/// </summary>
public sealed class ComplainantKeys(string secret)
{
    /// <summary>Known to everyone who reads this code: fit for a developer's machine and tests only.</summary>
    public const string DevelopmentSecret = "complaints-development-contact-key";

    private readonly byte[] _secret = Encoding.UTF8.GetBytes(secret);

    public string? For(Complainant complainant)
    {
        var digits = new string((complainant.Phone ?? "").Where(char.IsDigit).ToArray());
        var contact = digits.Length > 0 ? "phone:" + digits
            : !string.IsNullOrWhiteSpace(complainant.Email) ? "email:" + complainant.Email.Trim().ToLowerInvariant()
            : null;
        return contact is null ? null : Convert.ToHexString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(contact)))[..32];
    }
}

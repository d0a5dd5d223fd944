using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Data.Security;

/// <summary>Random secrets (keys, device tokens, enrollment codes) and their stored form: SHA-256, hex.</summary>
public static class Secrets
{
    /// <summary>A URL-safe random secret of <paramref name="bytes"/> bytes with a readable prefix.</summary>
    public static string New(string prefix, int bytes = 32) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>High-entropy secrets need no slow hash: SHA-256 is enough and lets the database index it.</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Msp.Tenants.Domain;

/// <summary>Random secrets handed to a user once (refresh tokens, invitations, a generated password) and, where
/// kept, kept only as a SHA-256 hash.</summary>
public static class OpaqueToken
{
    public static string New(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

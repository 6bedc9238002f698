using System.Text;

namespace Gordo.Runtime;

/// <summary>
/// A 64-bit hash that is the same in every process and on every run (unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process): FNV-1a over UTF-8,
/// finished with the SplitMix64 mixer so that nearby strings spread over the whole range.
/// </summary>
public static class StableHash
{
    public static ulong Hash(string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var bytes = max <= buffer.Length ? buffer : new byte[max];
        var length = Encoding.UTF8.GetBytes(value, bytes);
        return Hash(bytes[..length]);
    }

    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64's finaliser.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}

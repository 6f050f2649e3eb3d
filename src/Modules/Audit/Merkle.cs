using System.Security.Cryptography;

namespace Referral.Modules.Audit;

/// <summary>
/// The Merkle tree of Certificate Transparency (RFC 9162 §2.1) over the checkpoint log's leaves: tree hashes, inclusion
/// proofs (§2.1.3) and consistency proofs (§2.1.4), made and verified. Leaves are hashed with a 0x00 prefix and interior
/// nodes with 0x01, so a leaf can never pass for a node. Pure; the hash is SHA-256.
/// </summary>
public static class Merkle
{
    /// <summary>The hash of a leaf's data: SHA-256(0x00 || data).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[data.Length + 1];
        data.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    /// <summary>The hash of an interior node: SHA-256(0x01 || left || right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var buffer = new byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer.AsSpan(1));
        right.CopyTo(buffer.AsSpan(1 + left.Length));
        return SHA256.HashData(buffer);
    }

    /// <summary>The tree hash MTH of the leaves (their leaf hashes); of no leaves, SHA-256 of the empty string.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => leaves.Count == 0 ? SHA256.HashData([]) : Hash(leaves, 0, leaves.Count);

    /// <summary>The inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leaves, long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, leaves.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var path = new List<byte[]>();
        Path((int)index, leaves, 0, (int)size, path);
        return path;
    }

    /// <summary>The consistency proof between the trees of the first <paramref name="first"/> and <paramref name="second"/> leaves.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, long first, long second)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(second, leaves.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, second);
        var proof = new List<byte[]>();
        if (first > 0 && first < second)
        {
            SubProof((int)first, leaves, 0, (int)second, true, proof);
        }

        return proof;
    }

    /// <summary>Whether <paramref name="path"/> proves leaf <paramref name="leafHash"/> at <paramref name="index"/> in the tree of <paramref name="size"/> leaves with <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    public static bool VerifyInclusion(byte[] leafHash, long index, long size, IReadOnlyList<byte[]> path, byte[] root)
    {
        if (index < 0 || index >= size)
        {
            return false;
        }

        var (fn, sn, r) = (index, size - 1, leafHash);
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows the tree of <paramref name="first"/> leaves (<paramref name="firstRoot"/>) is a
    /// prefix of the tree of <paramref name="second"/> leaves (<paramref name="secondRoot"/>) — nothing in it changed (RFC 9162 §2.1.4.2).
    /// </summary>
    public static bool VerifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first < 1 || first > second)
        {
            return first == 0 && proof.Count == 0; // the empty tree is a prefix of every tree
        }

        if (first == second)
        {
            return proof.Count == 0 && firstRoot.AsSpan().SequenceEqual(secondRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = (first & (first - 1)) == 0 ? [firstRoot, .. proof] : proof.ToList();
        var (fn, sn) = (first - 1, second - 1);
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var (fr, sr) = (path[0], path[0]);
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k; // the largest power of two smaller than n
    }

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, int start, int n)
    {
        if (n == 1)
        {
            return leaves[start];
        }

        var k = Split(n);
        return NodeHash(Hash(leaves, start, k), Hash(leaves, start + k, n - k));
    }

    private static void Path(int m, IReadOnlyList<byte[]> leaves, int start, int n, List<byte[]> path)
    {
        if (n == 1)
        {
            return;
        }

        var k = Split(n);
        if (m < k)
        {
            Path(m, leaves, start, k, path);
            path.Add(Hash(leaves, start + k, n - k));
        }
        else
        {
            Path(m - k, leaves, start + k, n - k, path);
            path.Add(Hash(leaves, start, k));
        }
    }

    private static void SubProof(int m, IReadOnlyList<byte[]> leaves, int start, int n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(Hash(leaves, start, n));
            }

            return;
        }

        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, leaves, start, k, complete, proof);
            proof.Add(Hash(leaves, start + k, n - k));
        }
        else
        {
            SubProof(m - k, leaves, start + k, n - k, false, proof);
            proof.Add(Hash(leaves, start, k));
        }
    }
}

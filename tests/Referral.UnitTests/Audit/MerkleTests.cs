using System.Text;
using Referral.Modules.Audit;

namespace Referral.UnitTests.Audit;

/// <summary>RFC 9162's Merkle tree, exhaustively for small trees: every proof made verifies, and any change to a leaf, a proof or a root fails.</summary>
public sealed class MerkleTests
{
    private static List<byte[]> Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => Merkle.LeafHash(Encoding.UTF8.GetBytes($"leaf-{i}")))];

    private static byte[] Flip(byte[] hash)
    {
        var copy = (byte[])hash.Clone();
        copy[0] ^= 1;
        return copy;
    }

    [Fact]
    public void Tree_hashes_follow_the_RFC_definition()
    {
        var d = Leaves(3);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([]), Merkle.Root([]));
        Assert.Equal(d[0], Merkle.Root([d[0]]));
        Assert.Equal(Merkle.NodeHash(d[0], d[1]), Merkle.Root([d[0], d[1]]));
        // Three leaves: the left subtree holds the largest power of two below 3 (two leaves).
        Assert.Equal(Merkle.NodeHash(Merkle.NodeHash(d[0], d[1]), d[2]), Merkle.Root(d));
        // A leaf hash is never an interior node's hash of the same bytes (domain separation).
        Assert.NotEqual(Merkle.LeafHash([.. d[0], .. d[1]]), Merkle.NodeHash(d[0], d[1]));
    }

    [Fact]
    public void Every_inclusion_proof_verifies_and_fails_after_any_change()
    {
        for (var size = 1; size <= 33; size++)
        {
            var leaves = Leaves(size);
            var root = Merkle.Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var path = Merkle.InclusionProof(leaves, index, size);
                Assert.True(Merkle.VerifyInclusion(leaves[index], index, size, path, root), $"leaf {index} of {size}");
                Assert.False(Merkle.VerifyInclusion(Flip(leaves[index]), index, size, path, root));
                Assert.False(Merkle.VerifyInclusion(leaves[index], index, size, path, Flip(root)));
                if (path.Count > 0)
                {
                    Assert.False(Merkle.VerifyInclusion(leaves[index], index, size, [Flip(path[0]), .. path.Skip(1)], root));
                    Assert.False(Merkle.VerifyInclusion(leaves[index], index, size, path.Take(path.Count - 1).ToList(), root));
                }

                if (size > 1)
                {
                    Assert.False(Merkle.VerifyInclusion(leaves[index], (index + 1) % size, size, path, root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_fails_after_any_change()
    {
        var leaves = Leaves(32);
        for (var second = 1; second <= 32; second++)
        {
            var secondRoot = Merkle.Root(leaves.Take(second).ToList());
            for (var first = 1; first <= second; first++)
            {
                var firstRoot = Merkle.Root(leaves.Take(first).ToList());
                var proof = Merkle.ConsistencyProof(leaves, first, second);
                Assert.True(Merkle.VerifyConsistency(first, second, firstRoot, secondRoot, proof), $"{first} → {second}");
                Assert.False(Merkle.VerifyConsistency(first, second, Flip(firstRoot), secondRoot, proof));
                Assert.False(Merkle.VerifyConsistency(first, second, firstRoot, Flip(secondRoot), proof));
                for (var i = 0; i < proof.Count; i++)
                {
                    var changed = proof.ToList();
                    changed[i] = Flip(changed[i]);
                    Assert.False(Merkle.VerifyConsistency(first, second, firstRoot, secondRoot, changed));
                }
            }
        }
    }

    [Fact]
    public void A_rewritten_leaf_in_the_older_tree_breaks_consistency()
    {
        var leaves = Leaves(20);
        var firstRoot = Merkle.Root(leaves.Take(7).ToList());
        var rewritten = leaves.ToList();
        rewritten[3] = Merkle.LeafHash(Encoding.UTF8.GetBytes("rewritten"));
        var proof = Merkle.ConsistencyProof(rewritten, 7, 20);
        Assert.False(Merkle.VerifyConsistency(7, 20, firstRoot, Merkle.Root(rewritten), proof));
    }
}

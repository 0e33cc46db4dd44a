using Bmpmond.Storage;

namespace Bmpmon.Tests.Storage;

/// <summary>The fingerprint set behind <see cref="FreshPeerRoutes"/>, and the fresh-peer rules themselves.</summary>
public sealed class RouteKeySetTests
{
    [Fact]
    public void Adds_each_fingerprint_once_across_growth_including_zero()
    {
        var set = new RouteKeySet();
        var random = new Random(7);
        var added = new HashSet<uint> { 0 };
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        for (var i = 0; i < 200_000; i++)
        {
            var fingerprint = (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(added.Add(fingerprint == 0 ? 1 : fingerprint), set.Add(fingerprint));
        }

        Assert.Equal(added.Count, set.Count);
        foreach (var fingerprint in added)
        {
            Assert.False(set.Add(fingerprint));
        }
    }

    [Fact]
    public void A_fresh_peer_claims_each_new_key_once_and_others_claim_nothing()
    {
        var fresh = new FreshPeerRoutes();
        Assert.False(fresh.Any);
        fresh.PeerResolved(1, hasRoutes: false);
        fresh.PeerResolved(2, hasRoutes: true);
        Assert.True(fresh.Any);

        Assert.True(fresh.TryClaim(1, [1, 10, 0, 0, 0, 8]));
        Assert.False(fresh.TryClaim(1, [1, 10, 0, 0, 0, 8]));
        Assert.True(fresh.TryClaim(1, [1, 10, 0, 0, 0, 16]));
        Assert.False(fresh.TryClaim(2, [1, 10, 0, 0, 0, 24]));
        Assert.False(fresh.TryClaim(3, [1, 10, 0, 0, 0, 24]));

        // Resolved again while its set exists (nothing of it committed yet): the claims stand.
        fresh.PeerResolved(1, hasRoutes: false);
        Assert.False(fresh.TryClaim(1, [1, 10, 0, 0, 0, 8]));

        // Rows appeared (a reconnect after commits, someone else's import): the upsert from now on.
        fresh.PeerResolved(1, hasRoutes: true);
        Assert.False(fresh.TryClaim(1, [1, 10, 0, 0, 0, 32]));
        Assert.False(fresh.Any);
    }

    [Fact]
    public void Past_the_key_budget_a_peer_is_forgotten_and_the_budget_comes_back()
    {
        var fresh = new FreshPeerRoutes();
        fresh.PeerResolved(1, hasRoutes: false);
        fresh.PeerResolved(2, hasRoutes: false);
        var key = new byte[4];
        for (var i = 0; i < FreshPeerRoutes.MaxKeys; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            fresh.TryClaim(1, key);
        }

        // Peer 1 holds nearly the whole budget (minus fingerprint collisions); peer 2's next claims push past it.
        var claimed = 0;
        for (var i = 0; i < 100_000 && fresh.Any; i++)
        {
            BitConverter.TryWriteBytes(key, -i - 1);
            claimed += fresh.TryClaim(2, key) ? 1 : 0;
        }

        Assert.True(claimed < 100_000, "the budget stops the claims");
        Assert.False(fresh.TryClaim(2, [9, 9, 9, 9]));

        // Forgetting peer 1 frees its keys: a new fresh peer claims again.
        fresh.Forget(1);
        fresh.PeerResolved(3, hasRoutes: false);
        Assert.True(fresh.TryClaim(3, [9, 9, 9, 9]));
        fresh.ForgetAll();
        Assert.False(fresh.Any);
    }
}

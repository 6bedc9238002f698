using Gordo.GrainInterfaces;
using Gordo.Runtime;

namespace Gordo.Tests.Runtime;

public sealed class PlacementTests
{
    private static MembershipView View(params int[] ports) =>
        new(1, [.. ports.Select(p => new ClusterMember(new SiloAddress("127.0.0.1", p, 1), SiloStatus.Active, DateTimeOffset.UnixEpoch, $"silo-{p}"))]);

    [Fact]
    public void Every_grain_has_one_owner_and_the_load_is_spread()
    {
        var placement = new RendezvousPlacementDirector();
        var view = View(11111, 11112, 11113);
        var owners = Enumerable.Range(0, 3000).Select(i => placement.SelectOwner(new GrainId("model", $"1/t{i}"), view)!).ToList();
        var counts = owners.GroupBy(o => o.Port).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void A_leaving_silo_moves_only_its_own_grains_and_a_joining_one_takes_only_a_share()
    {
        var placement = new RendezvousPlacementDirector();
        var three = View(1, 2, 3);
        var two = View(1, 2);
        var four = View(1, 2, 3, 4);
        var moved = 0;
        for (var i = 0; i < 2000; i++)
        {
            var id = new GrainId("model", $"r/t{i}");
            var before = placement.SelectOwner(id, three)!;
            var after = placement.SelectOwner(id, two)!;
            if (before.Port != 3)
            {
                Assert.Equal(before, after);
            }

            var joined = placement.SelectOwner(id, four)!;
            if (joined.Port != 4)
            {
                Assert.Equal(before, joined);
            }
            else
            {
                moved++;
            }
        }

        Assert.InRange(moved, 350, 650);
    }

    [Fact]
    public void The_placement_hash_is_fnv1a_and_splitmix64_so_every_process_agrees()
    {
        // Published vectors: FNV-1a 64 of "a" and "foobar"; SplitMix64's first output for seed 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, StableHash.Mix(0x9E3779B97F4A7C15UL));
        Assert.Equal(StableHash.Mix(0xAF63DC4C8601EC8CUL), StableHash.Hash("a"));
        Assert.Equal(StableHash.Mix(0x85944171F73967E8UL), StableHash.Hash("foobar"));
        Assert.Equal(StableHash.Mix(0xCBF29CE484222325UL), StableHash.Hash(string.Empty));
    }

    [Fact]
    public void Empty_views_have_no_owner() => Assert.Null(new RendezvousPlacementDirector().SelectOwner(new GrainId("model", "x"), MembershipView.Empty));

    [Theory]
    [InlineData("model/1700000000000/pump-1", "model", "1700000000000/pump-1")]
    [InlineData("counter/a", "counter", "a")]
    public void Grain_ids_round_trip(string text, string type, string key)
    {
        Assert.True(GrainId.TryParse(text, out var id));
        Assert.Equal(new GrainId(type, key), id);
        Assert.Equal(text, id.ToString());
    }

    [Fact]
    public void Silo_addresses_and_model_keys_round_trip()
    {
        var silo = new SiloAddress("10.0.0.7", 11111, 1700000000123);
        Assert.True(SiloAddress.TryParse(silo.ToString(), out var parsed));
        Assert.Equal(silo, parsed);
        Assert.True(ModelKey.TryParse("1700000000000/pump-1", out var key));
        Assert.Equal(new ModelKey("1700000000000", "pump-1"), key);
        Assert.False(ModelKey.TryParse("a/b/c", out _));
        Assert.False(ModelKey.TryParse("/b", out _));
    }
}

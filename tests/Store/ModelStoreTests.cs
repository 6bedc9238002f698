using Gordo.Grains.Store;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Store;

public sealed class ModelStoreTests(TestCollection collection)
{
    [Theory]
    [InlineData("pump-1", true)]
    [InlineData("A-Z-09", true)]
    [InlineData("-", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("a_b", false)]
    [InlineData("pump-1\n", false)]
    [InlineData("ümlaut", false)]
    public void Target_names_match_the_whole_gordo_pattern(string name, bool valid) => Assert.Equal(valid, ModelStore.IsValidTargetName(name));

    [Theory]
    [InlineData("1700000000000", true)]
    [InlineData("0", true)]
    [InlineData("", false)]
    [InlineData("1a", false)]
    [InlineData("١٢٣", false)]
    [InlineData("123\n", false)]
    [InlineData("..", false)]
    public void Revision_names_are_ascii_digits(string revision, bool valid) => Assert.Equal(valid, ModelStore.IsValidRevisionName(revision));

    [Fact]
    public void Resolves_the_layout_and_refuses_escapes()
    {
        var store = new ModelStore(collection.CurrentDirectory + "/");
        Assert.Equal(TestCollection.CurrentRevision, store.CurrentRevision);
        Assert.Equal(collection.Root, store.Root);
        Assert.True(store.ModelExists(TestCollection.CurrentRevision, "pump-1"));
        Assert.False(store.ModelExists(TestCollection.CurrentRevision, "nope"));
        Assert.False(store.ModelExists("..", "pump-1"));
        Assert.Throws<ArgumentException>(() => store.GetModelFiles(TestCollection.CurrentRevision, ".."));
        Assert.Throws<ArgumentException>(() => store.GetRevisionDirectory("../etc"));
        Assert.Equal([TestCollection.OldRevision, TestCollection.CurrentRevision], store.ListRevisions());
        Assert.Contains("pump-1", store.ListModels(TestCollection.CurrentRevision));
        Assert.Empty(store.ListModels("42"));
    }

    [Fact]
    public void A_collection_dir_without_siblings_lists_just_itself()
    {
        var store = new ModelStore("/nonexistent-root-" + Guid.NewGuid().ToString("N") + "/1234");
        Assert.Equal(["1234"], store.ListRevisions());
        Assert.Empty(store.ListModels("1234"));
    }
}

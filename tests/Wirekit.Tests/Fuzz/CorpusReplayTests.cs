using Wirekit.Fuzz;
using Wirekit.Fuzz.Harnesses;

namespace Wirekit.Tests.Fuzz;

/// <summary>
/// The whole committed corpus (seeds, and the inputs that once broke a parser) through every harness's invariant
/// checks, without afl-fuzz: a parser change that breaks a promise on any of them fails here.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Cases() => FuzzCorpus.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_corpus_input_keeps_its_harness_invariants(string harness, string file) => FuzzCorpus.Replay(harness, file);

    [Fact]
    public void Every_harness_has_a_corpus_and_the_committed_seeds_are_what_the_harnesses_make()
    {
        foreach (var harness in HarnessCatalog.All)
        {
            var folder = Path.Combine(FuzzCorpus.Folder, "corpus", harness.Name);
            foreach (var (name, input) in harness.Seeds())
            {
                var path = Path.Combine(folder, name);
                Assert.True(File.Exists(path), $"{path} is missing: run `dotnet fuzz/Wirekit.Fuzz/bin/Release/net10.0/Wirekit.Fuzz.dll seeds fuzz/corpus`");
                Assert.Equal(input, File.ReadAllBytes(path));
            }
        }
    }

    [Theory]
    [InlineData(0, new byte[0], 5)]
    [InlineData(0, new byte[] { 1 }, 1)]
    [InlineData(3, new byte[] { 2, 0 }, 2)]
    [InlineData(31, new byte[] { 3, 1, 4, 1, 5, 9, 2 }, 3)]
    public void The_header_chooses_mode_and_split_and_the_chunks_lay_back_into_the_data(int mode, byte[] sizes, int expectedFirstChunk)
    {
        var data = "hello"u8.ToArray();
        var input = FuzzInput.Parse(FuzzInput.Format(mode, sizes, data));

        Assert.Equal(mode, input.Mode);
        Assert.Equal(data, input.Data);
        var chunks = input.Chunks().ToList();
        Assert.Equal(expectedFirstChunk, chunks[0].Length);
        Assert.Equal(data, chunks.SelectMany(c => c.ToArray()).ToArray());
    }
}

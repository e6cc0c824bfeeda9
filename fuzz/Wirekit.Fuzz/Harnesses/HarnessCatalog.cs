namespace Wirekit.Fuzz.Harnesses;

/// <summary>Every harness, by the name fuzz/run.sh, the corpus folders and the replay test use.</summary>
public static class HarnessCatalog
{
    public static IReadOnlyList<IHarness> All { get; } =
    [
        new LineFramerHarness(),
        new FileFrameHarness(),
        new AnnouncementHarness(),
        new FtpReplyHarness(),
        new ProcNetHarness(),
        new ChatHarness(),
    ];

    public static IHarness? Find(string name) => All.FirstOrDefault(h => h.Name == name);
}

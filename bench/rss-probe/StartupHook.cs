using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;

/// <summary>
/// Runs inside the server (the runtime calls <see cref="Initialize"/> before Main). A thread of its own polls
/// $RSS_PROBE_DIR for "PID.ACTION" files; each is answered with one JSON line appended to "PID.jsonl" and deleted.
/// Actions: info (GC figures only), collect (blocking compacting gen-2 GC, large object heap included),
/// aggressive (GCCollectionMode.Aggressive: compacts and decommits all it can), trim (glibc malloc_trim(0)).
/// Polling a directory keeps the probe free of sockets and signals the server itself might use.
/// </summary>
internal static partial class StartupHook
{
    private static readonly string[] Actions = ["info", "collect", "aggressive", "trim"];

    public static void Initialize()
    {
        var directory = Environment.GetEnvironmentVariable("RSS_PROBE_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        var pid = Environment.ProcessId;
        new Thread(() => Poll(directory, pid)) { IsBackground = true, Name = "rss-probe" }.Start();
    }

    private static void Poll(string directory, int pid)
    {
        while (true)
        {
            foreach (var action in Actions)
            {
                var request = Path.Combine(directory, $"{pid}.{action}");
                if (File.Exists(request))
                {
                    var line = JsonSerializer.Serialize(Answer(action));
                    File.AppendAllText(Path.Combine(directory, $"{pid}.jsonl"), line + "\n");
                    File.Delete(request);
                }
            }

            Thread.Sleep(100);
        }
    }

    private static Dictionary<string, object> Answer(string action)
    {
        var clock = Stopwatch.StartNew();
        switch (action)
        {
            case "collect":
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                break;
            case "aggressive":
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                break;
            case "trim":
                MallocTrim(0);
                break;
        }

        var info = GC.GetGCMemoryInfo(GCKind.Any);
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        return new Dictionary<string, object>
        {
            ["action"] = action,
            ["ms"] = clock.ElapsedMilliseconds,
            ["gcHeapSizeBytes"] = info.HeapSizeBytes,
            // Until the first collection the figures above are all 0; this one (bytes thought allocated) is not.
            ["gcTotalMemoryBytes"] = GC.GetTotalMemory(forceFullCollection: false),
            ["gcCommittedBytes"] = info.TotalCommittedBytes,
            ["gcFragmentedBytes"] = info.FragmentedBytes,
            ["gcTotalAvailableBytes"] = info.TotalAvailableMemoryBytes,
            ["gcGenerationSizesBytes"] = info.GenerationInfo.ToArray().Select(g => g.SizeAfterBytes).ToArray(),
            ["gcCollections"] = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            ["gcServer"] = GCSettings.IsServerGC,
            ["gcConfig"] = GC.GetConfigurationVariables().ToDictionary(kv => kv.Key, kv => kv.Value.ToString() ?? ""),
            ["threads"] = Process.GetCurrentProcess().Threads.Count,
            ["threadPoolThreads"] = ThreadPool.ThreadCount,
            ["threadPoolMinWorkers"] = minWorkers,
        };
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

using SharpFuzz;
using Wirekit.Fuzz;
using Wirekit.Fuzz.Harnesses;

// wirekit-fuzz HARNESS              run under afl-fuzz (fuzz/run.sh starts it so)
// wirekit-fuzz replay HARNESS FILE  run inputs once each; prints the first broken invariant and exits 1
// wirekit-fuzz seeds DIR            write the seed corpus, DIR/HARNESS/NAME
// wirekit-fuzz list                 the harnesses' names
switch (args)
{
    case ["list"]:
        foreach (var harness in HarnessCatalog.All)
        {
            Console.WriteLine(harness.Name);
        }

        return 0;
    case ["seeds", var directory]:
        foreach (var harness in HarnessCatalog.All)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, harness.Name));
            foreach (var (name, input) in harness.Seeds())
            {
                File.WriteAllBytes(Path.Combine(folder.FullName, name), input);
            }
        }

        return 0;
    case ["replay", var name, .. var files] when HarnessCatalog.Find(name) is { } harness:
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                harness.Run(FuzzInput.Parse(File.ReadAllBytes(file)));
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
                Console.Error.WriteLine(e.StackTrace);
            }
        }

        return failed == 0 ? 0 : 1;
    case [var name] when HarnessCatalog.Find(name) is { } harness:
        // Out of process: each case in a fresh fork of this process, so a harness's state cannot leak between cases.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            harness.Run(FuzzInput.Parse(copy.ToArray()));
        });
        return 0;
    default:
        Console.Error.WriteLine($"usage: wirekit-fuzz list | seeds DIR | replay HARNESS FILE... | HARNESS ({string.Join(", ", HarnessCatalog.All.Select(h => h.Name))})");
        return 2;
}

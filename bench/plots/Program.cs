namespace Wirekit.Plots;

/// <summary>
/// usage: Wirekit.Plots INPUT.json... [-o FOLDER]: for each bench document, INPUT.png and INPUT.svg beside it (or
/// in FOLDER). The document's "kind" picks the chart. Exit 0, 1 when a document cannot be read or drawn, 2 on usage.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var inputs = new List<string>();
        string? folder = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-o" or "--output")
            {
                if (++i == args.Length)
                {
                    return Usage("-o needs a folder");
                }

                folder = args[i];
            }
            else if (args[i] is "-h" or "--help")
            {
                Console.WriteLine($"usage: Wirekit.Plots INPUT.json... [-o FOLDER]\nkinds: {string.Join(", ", Charts.Kinds)}");
                return 0;
            }
            else
            {
                inputs.Add(args[i]);
            }
        }

        if (inputs.Count == 0)
        {
            return Usage("no input (bench/results/*.json)");
        }

        var status = 0;
        foreach (var input in inputs)
        {
            try
            {
                foreach (var written in Charts.Draw(input, folder ?? Path.GetDirectoryName(Path.GetFullPath(input))!))
                {
                    Console.WriteLine($"wrote {written}");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                status = 1;
            }
        }

        return status;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem}; usage: Wirekit.Plots INPUT.json... [-o FOLDER]");
        return 2;
    }
}

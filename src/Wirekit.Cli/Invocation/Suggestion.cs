namespace Wirekit.Cli.Invocation;

/// <summary>"Did you mean ...?": the closest candidate by edit distance, or a unique one the typed word starts.</summary>
internal static class Suggestion
{
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = candidate.StartsWith(typed, StringComparison.Ordinal) && typed.Length >= 3 ? 1 : Math.Min(Distance(typed, candidate), ToAWord(typed, candidate));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Two edits (a dropped and a swapped letter), or a third of a long word: beyond that the guess is noise.
        return bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    /// <summary>
    /// `--timout` for `--idle-timeout`: close to one of the candidate's dash-separated words, plus one for the words
    /// left out, so a whole-name match still wins.
    /// </summary>
    private static int ToAWord(string typed, string candidate)
    {
        var bare = typed.TrimStart('-');
        var words = candidate.TrimStart('-').Split('-');
        return words.Length < 2 || bare.Length < 4 ? int.MaxValue : words.Min(w => Distance(bare, w)) + 1;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

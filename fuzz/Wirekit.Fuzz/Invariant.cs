namespace Wirekit.Fuzz;

/// <summary>A parser broke one of its promises on this input: afl-fuzz records it as a crash, the replay test fails.</summary>
public sealed class InvariantViolation(string message) : Exception(message);

internal static class Invariant
{
    public static void Holds(bool condition, string promise)
    {
        if (!condition)
        {
            throw new InvariantViolation(promise);
        }
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new InvariantViolation($"{what}: expected {expected}, got {actual}");
        }
    }

    public static void SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        if (!expected.SequenceEqual(actual))
        {
            throw new InvariantViolation($"{what}: expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(actual)}");
        }
    }
}

namespace Wirekit.Fuzz;

/// <summary>One parser under fuzz: runs a case and throws (an <see cref="InvariantViolation"/> or the parser's own exception) when it misbehaves.</summary>
public interface IHarness
{
    /// <summary>The name fuzz/run.sh and the corpus folder use.</summary>
    string Name { get; }

    void Run(FuzzInput input);

    /// <summary>Valid inputs made with the library's own encoders and the tests' sample frames: the seed corpus.</summary>
    IEnumerable<(string Name, byte[] Input)> Seeds();
}

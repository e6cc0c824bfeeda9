namespace Wirekit.Engines;

/// <summary>Why a connection was refused at admission, for the notice a service sends before the server closes it.</summary>
public enum RefusalReason
{
    /// <summary>The server serves as many sessions as it may (its limit, or the process's open-file budget).</summary>
    ServerFull,

    /// <summary>The peer's address is not admitted by the server's access rules (<see cref="ServerOptions.Access"/>).</summary>
    Denied,

    /// <summary>The peer's address already holds its share of connections (<see cref="ServerOptions.MaxConnectionsPerAddress"/>).</summary>
    TooManyFromAddress,
}

namespace Wirekit.Tests.Infrastructure;

/// <summary>The command line to run the real `wirekit` CLI as a separate process (e.g. inside a network namespace).</summary>
internal static class CliProcess
{
    /// <summary>dotnet (the host running the tests) plus the CLI's dll, copied next to the tests by the project reference.</summary>
    public static string[] Command(params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "Wirekit.Cli.dll");
        return [host, dll, .. arguments];
    }
}

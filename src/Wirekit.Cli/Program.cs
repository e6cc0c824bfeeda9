using System.Runtime.InteropServices;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;

// Program only wires commands; each command lives in Commands/ in a file of its own.

// Run socket completions on the epoll thread that observed them instead of hopping to the thread pool (Kestrel's
// UnsafePreferInlineScheduling). Wirekit's session callbacks only parse and queue, never block, so the hop buys
// nothing and costs a context switch per wake-up: measured here, 1.4-2x fewer CPU-ns per echoed message.
// Read once, when the first async socket operation starts; an explicit setting in the environment wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

// With completions inline, each epoll thread is an event loop like the C reference server's. .NET starts one per
// core; on 2 cores two loops and a client fight for the CPUs, and each loop, finding less work per wake-up, sleeps
// and wakes ~25,000 times a second. Half the cores (at least one) measured here: ping-pong at 100 clients
// 94 k -> 143 k round trips/s, throughput at 100 clients 56 M -> 86 M msg/s. An explicit setting wins.
const string SocketThreads = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";
if (Environment.GetEnvironmentVariable(SocketThreads) is null)
{
    Environment.SetEnvironmentVariable(SocketThreads, Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
}

var root = CommandCatalog.Root();

// Ctrl+C and SIGTERM both cancel the running command's token, so servers stop gracefully and exit 0
// instead of being torn down by the runtime's default handler (exit 143 on SIGTERM).
using var stopping = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
return await CliRunner.RunAsync(root, args, Console.Out, Console.Error, stopping.Token);

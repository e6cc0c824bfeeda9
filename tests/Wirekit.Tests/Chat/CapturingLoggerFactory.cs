using Microsoft.Extensions.Logging;

namespace Wirekit.Tests.Chat;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every line written through it, for tests that count log lines.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<(string Category, LogLevel Level, EventId Event, string Message)> _lines = [];

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lock)
            {
                owner._lines.Add((category, logLevel, eventId, formatter(state, exception)));
            }
        }
    }
}

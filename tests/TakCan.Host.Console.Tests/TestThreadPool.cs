using System.Runtime.CompilerServices;

namespace TakCan.Tests;

/// <summary>
/// On a 2-core machine TestKit's blocking waits starve the thread pool and delay Akka's timers by a second or
/// more; a larger floor keeps timing-dependent tests honest without longer timeouts.
/// </summary>
internal static class TestThreadPool
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}

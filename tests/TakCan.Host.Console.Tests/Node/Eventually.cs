namespace TakCan.Host.Console.Tests.Node;

/// <summary>Polls a condition across processes (where no probe can listen) until it holds or the time is up.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task> check, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await check();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}

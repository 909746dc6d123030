using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// Fixes from a gpsd daemon over its JSON socket (gpsd_json(5)): connects, sends
/// <c>?WATCH={"enable":true,"json":true}</c> and turns every TPV report with a 2D or 3D fix into a
/// <see cref="LocationFix"/>. When gpsd is not running, or the connection drops, it connects again with
/// exponential backoff, for as long as the stream runs.
/// </summary>
public sealed class GpsdLocationSource : ILocationSource
{
    /// <summary>
    /// Longest report line kept. gpsd's SKY reports with many satellites run to a few kilobytes; longer lines are
    /// dropped whole.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    public GpsdLocationSource(
        string host = GpsdJson.DefaultHost,
        int port = GpsdJson.DefaultPort,
        TimeSpan? minBackoff = null,
        TimeSpan? maxBackoff = null)
    {
        Host = host;
        Port = port;
        MinBackoff = minBackoff ?? TimeSpan.FromSeconds(1);
        MaxBackoff = maxBackoff ?? TimeSpan.FromSeconds(30);
    }

    public string Host { get; }

    public int Port { get; }

    public TimeSpan MinBackoff { get; }

    public TimeSpan MaxBackoff { get; }

    public Source<LocationFix, NotUsed> Fixes() =>
        RestartSource.WithBackoff(
            () => Source.From(() => Session()),
            RestartSettings.Create(MinBackoff, MaxBackoff, randomFactor: 0.2));

    // One connection: ends when gpsd closes it, fails when it cannot be made or breaks; the restart wraps both.
    private async IAsyncEnumerable<LocationFix> Session([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(Host, Port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(GpsdJson.WatchCommand, cancellationToken).ConfigureAwait(false);
        var lines = new BoundedLineReader(stream, MaxLineLength);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            if (GpsdJson.TryReadFix(line.Span, DateTime.UtcNow, out var fix))
                yield return fix;
    }
}

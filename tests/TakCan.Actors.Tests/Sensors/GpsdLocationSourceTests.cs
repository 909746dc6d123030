using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Streams;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Sensors;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Tests.Sensors;

/// <summary>The gpsd client against a fake gpsd on 127.0.0.1 that speaks the JSON protocol (gpsd_json(5)).</summary>
public sealed class GpsdLocationSourceTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private const string Version = """{"class":"VERSION","release":"3.25","rev":"3.25","proto_major":3,"proto_minor":15}""";
    private const string Devices = """{"class":"DEVICES","devices":[{"class":"DEVICE","path":"/dev/ttyACM0","driver":"u-blox","activated":"2024-05-01T12:00:00.000Z","native":1,"bps":9600,"parity":"N","stopbits":1,"cycle":1.00}]}""";
    private const string WatchReply = """{"class":"WATCH","enable":true,"json":true,"nmea":false,"raw":0,"scaled":false,"timing":false,"split24":false,"pps":false}""";
    private const string NoFix = """{"class":"TPV","device":"/dev/ttyACM0","mode":1}""";
    private const string Sky = """{"class":"SKY","device":"/dev/ttyACM0","hdop":0.9,"satellites":[{"PRN":5,"el":30.0,"az":300.0,"ss":38.0,"used":true},{"PRN":12,"el":60.0,"az":45.0,"ss":42.0,"used":true}]}""";

    private static string Tpv(double lat, double lon, int mode = 3) =>
        $$"""{"class":"TPV","device":"/dev/ttyACM0","mode":{{mode}},"time":"2024-05-01T12:00:03.000Z","ept":0.005,"lat":{{lat}},"lon":{{lon}},"altHAE":12.345,"altMSL":45.445,"epx":3.2,"epy":4.9,"epv":8.1,"track":271.5,"speed":1.35,"climb":0.0}""";

    [Fact]
    public async Task Watches_reads_tpv_fixes_and_reconnects_after_gpsd_restarts()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var gpsd = Listen(0);
        var port = ((IPEndPoint)gpsd.LocalEndpoint).Port;
        var source = new GpsdLocationSource("127.0.0.1", port, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        var probe = source.Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(10);

        using (var client = await gpsd.AcceptTcpClientAsync(timeout.Token))
        {
            var stream = client.GetStream();
            Assert.Equal("?WATCH={\"enable\":true,\"json\":true}", await ReadLine(stream, timeout.Token));
            await Send(stream, timeout.Token, Version, Devices, WatchReply, NoFix, Sky, "garbage {{{", Tpv(38.889484, -77.035278));
            // A 2D fix, split across two writes as TCP may deliver it.
            var twoD = Encoding.ASCII.GetBytes(Tpv(38.9, -77.1, mode: 2) + "\r\n");
            await stream.WriteAsync(twoD.AsMemory(0, 40), timeout.Token);
            await stream.FlushAsync(timeout.Token);
            await stream.WriteAsync(twoD.AsMemory(40), timeout.Token);

            var fix = probe.ExpectNext(Patience);
            Assert.Equal((38.889484, -77.035278), (fix.Lat, fix.Lon));
            Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 3, DateTimeKind.Utc), fix.Time);
            Assert.Equal(12.345, fix.Hae);
            Assert.Equal(271.5, fix.Course);
            Assert.Equal(1.35, fix.Speed);
            Assert.Equal(4.9, fix.Ce);
            var second = probe.ExpectNext(Patience);
            Assert.Equal((38.9, -77.1), (second.Lat, second.Lon));
            Assert.Null(second.Hae);
        }

        // gpsd goes away: the client sees the connection close, then connection refused, and keeps trying.
        gpsd.Stop();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        gpsd = Listen(port);
        try
        {
            using var client = await gpsd.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            Assert.StartsWith("?WATCH=", await ReadLine(stream, timeout.Token));
            await Send(stream, timeout.Token, Version, Tpv(38.8, -77.0));

            var fix = probe.ExpectNext(Patience);
            Assert.Equal((38.8, -77.0), (fix.Lat, fix.Lon));
            probe.Cancel();
        }
        finally
        {
            gpsd.Stop();
        }
    }

    [Fact]
    public async Task An_overlong_report_line_is_dropped_and_the_next_report_read()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var gpsd = Listen(0);
        try
        {
            var port = ((IPEndPoint)gpsd.LocalEndpoint).Port;
            var probe = new GpsdLocationSource("127.0.0.1", port).Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
            probe.Request(2);
            using var client = await gpsd.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            await ReadLine(stream, timeout.Token);

            var huge = "{\"class\":\"TPV\",\"mode\":3,\"lat\":1.0,\"lon\":1.0,\"pad\":\"" +
                       new string('x', GpsdLocationSource.MaxLineLength * 2) + "\"}";
            await Send(stream, timeout.Token, huge, Tpv(2.0, 3.0));

            var fix = probe.ExpectNext(Patience);
            Assert.Equal((2.0, 3.0), (fix.Lat, fix.Lon));
            probe.Cancel();
        }
        finally
        {
            gpsd.Stop();
        }
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // The restarted fake gpsd binds the same port while the old connection is still in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    private static async Task Send(NetworkStream stream, CancellationToken cancellationToken, params string[] lines)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\r\n"))), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static async Task<string> ReadLine(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != (byte)'\n') line.Add(one[0]);
        return Encoding.ASCII.GetString(line.ToArray());
    }
}

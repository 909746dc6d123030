using System.Security.Cryptography.X509Certificates;
using TakCan.Actors.Servers.MartiApi;

namespace TakCan.Actors.Tests.Servers.MartiApi;

/// <summary>Clients for <see cref="FakeMartiApi"/> and mission CoT written as TAK Server writes it (single quotes, no declaration).</summary>
internal static class MartiTestData
{
    public const string ClientUid = "ANDROID-takcan-test";

    public static TestPki Pki => TestPki.Shared;

    public static MartiClient Client(FakeMartiApi server, X509Certificate2? client = null, X509Certificate2? ca = null, MartiClientOptions? options = null) =>
        new(server.BaseUri, client ?? Pki.Client, [ca ?? Pki.Ca], options);

    public static string Sa(string uid, string callsign) =>
        $"<event version='2.0' uid='{uid}' type='a-f-G-U-C' time='2025-11-27T10:00:00.000Z' start='2025-11-27T10:00:00.000Z' " +
        "stale='2035-11-27T10:05:00.000Z' how='m-g'><point lat='45.4' lon='-75.7' hae='70.0' ce='9999999.0' le='9999999.0' />" +
        $"<detail><contact callsign='{callsign}'/><__group name='Cyan' role='Team Member'/></detail></event>";

    /// <summary>TAK Server does not escape the uid it puts in mission CoT; this one breaks the XML.</summary>
    public static string Unescaped => Sa("O'Brien", "OBRIEN");
}

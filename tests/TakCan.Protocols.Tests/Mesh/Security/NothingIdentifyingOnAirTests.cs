using System.Text;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Fragments;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

/// <summary>specs/mesh.md: nothing in cleartext identifies a device, a callsign, a uid or a team.</summary>
public class NothingIdentifyingOnAirTests
{
    private const string Team = "Cyan";
    private const string Callsign = "VIPER-7";
    private const string Uid = "ANDROID-5f3e2d1c0b9a8776";
    private const int Mtu = 480;
    private static readonly MeshPeerInfo Alpha = new(NodeId.Parse("3f2a9c1e7b6d5a4f0e1d2c3b4a596877"), Team);
    private static readonly MeshPeerInfo Bravo = new(NodeId.Parse("c0ffee00deadbeef8badf00d12345678"), Team);

    [Fact]
    public void No_frame_on_the_air_carries_a_node_id_team_callsign_or_uid()
    {
        var onAir = new List<byte[]>();
        var ring = MeshTestKeys.Ring(1);
        var messageId = 0x00AB_CDEFu;
        void Transmit(byte[] sealedFrame)
        {
            var fragments = Fragmenter.Split(sealedFrame, messageId, Mtu);
            messageId = FragmentHeader.NextMessageId(messageId);
            onAir.AddRange(fragments);
            if (fragments.Length > 1) onAir.Add(Fragmenter.Nack(messageId, (byte)fragments.Length, [0, fragments.Length - 1]));
        }

        // Link handshake, with a lost frame and the retries it brings.
        var wire = new HandshakeWire(new LinkHandshake(ring, Alpha), new LinkHandshake(ring, Bravo));
        var transmitted = 0;
        wire.Lose = (_, _) => transmitted++ == 2;
        wire.Start(Side.A);
        wire.RunWithRetries(3);
        Assert.True(wire.BothUp);
        onAir.AddRange(wire.Sent.Select(s => s.Frame));

        // Link and group data, one fragment and many, both ways.
        using var groupA = new GroupCipher(ring, Team);
        using var groupB = new GroupCipher(ring, Team);
        foreach (var (origin, repeat) in new[] { (Alpha, 1), (Bravo, 1), (Alpha, 40) })
        {
            var envelope = Envelope(origin.Node, repeat);
            Transmit(wire.A.Session!.Seal(envelope));
            Transmit(wire.B.Session!.Seal(envelope));
            Transmit(groupA.Seal(envelope));
            Transmit(groupB.Seal(envelope));
            Transmit(groupA.Seal(MeshEnvelopeCodec.ToBytes(MeshEnvelopeCodec.Read(envelope).Relayed())));
        }

        Assert.True(onAir.Count > 100);
        foreach (var (name, needle) in Needles())
            Assert.True(onAir.All(frame => !MeshTestKeys.Contains(frame, needle)), $"{name} is visible on the air");
    }

    [Fact]
    public void The_plaintext_does_carry_them_so_the_search_would_find_a_leak()
    {
        var envelope = Envelope(Alpha.Node, 1);

        foreach (var (name, needle) in Needles().Where(n => !n.Name.StartsWith("Bravo", StringComparison.Ordinal) && n.Name != "cyan"))
            Assert.True(MeshTestKeys.Contains(envelope, needle), $"{name} is missing from the plaintext");
    }

    private static byte[] Envelope(NodeId origin, int repeat)
    {
        var cot = new StringBuilder();
        for (var i = 0; i < repeat; i++)
        {
            cot.Append($"<event version=\"2.0\" uid=\"{Uid}\" type=\"a-f-G-U-C\" how=\"m-g\">")
                .Append($"<detail><contact callsign=\"{Callsign}\"/><__group name=\"{Team}\" role=\"Team Member\"/>")
                .Append($"<link uid=\"{origin}\"/></detail></event>");
        }

        return MeshEnvelopeCodec.ToBytes(new MeshEnvelope(MeshMessageKind.Cot, origin, 42, 3, 0, Encoding.UTF8.GetBytes(cot.ToString())));
    }

    private static IEnumerable<(string Name, byte[] Needle)> Needles()
    {
        foreach (var (name, node) in new[] { ("Alpha", Alpha.Node), ("Bravo", Bravo.Node) })
        {
            var bytes = node.ToBytes();
            yield return ($"{name} node id", bytes);
            yield return ($"{name} node id, first half", bytes[..8]);
            yield return ($"{name} node id, second half", bytes[8..]);
            yield return ($"{name} node id as hex", Encoding.UTF8.GetBytes(node.ToString()));
        }

        yield return ("team", Encoding.UTF8.GetBytes(Team));
        yield return ("cyan", Encoding.UTF8.GetBytes(Team.ToLowerInvariant()));
        yield return ("callsign", Encoding.UTF8.GetBytes(Callsign));
        yield return ("uid", Encoding.UTF8.GetBytes(Uid));
    }
}

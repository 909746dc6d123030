using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using MessagePack;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

/// <summary>LinkHandshake and LinkSession against <see cref="SpecPeer"/>, written from specs/mesh.md alone.</summary>
public class LinkHandshakeSpecTests
{
    private static readonly byte[] MissionKey = MeshTestKeys.MissionKey(1);
    private static readonly MeshPeerInfo Alpha = LinkHandshakeTests.Alpha;
    private static readonly MeshPeerInfo Bravo = LinkHandshakeTests.Bravo;

    private readonly LinkHandshake _alpha = new(new MeshKeyRing(new MeshKeySet(MissionKey)), Alpha);
    private readonly SpecPeer _bravo = new(MissionKey, new Random(17));

    [Fact]
    public void The_HELLO_is_type_key_id_nonce_and_a_zero_echo()
    {
        var hello = _alpha.CreateHello();

        Assert.Equal(1 + 2 + 16 + 16, hello.Length);
        Assert.Equal(0x11, hello[0]);
        Assert.Equal(_bravo.KeyId, BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(1)));
        Assert.Equal(new byte[16], SpecPeer.EchoOf(hello));
        Assert.NotEqual(new byte[16], SpecPeer.NonceOf(hello));
        Assert.NotEqual(SpecPeer.NonceOf(hello), SpecPeer.NonceOf(new LinkHandshake(MeshTestKeys.Ring(1), Alpha).CreateHello()));
    }

    [Fact]
    public void Comes_up_with_an_independent_implementation_of_the_spec()
    {
        var nonceA = SpecPeer.NonceOf(_alpha.CreateHello());

        var replies = _alpha.Receive(_bravo.CreateHello(echo: nonceA));

        // Our HELLO echoed its nonce, so it answers with its AUTH only.
        var authA = Assert.Single(replies);
        Assert.Equal(SpecPeer.Auth, authA[0]);
        Assert.Equal(_bravo.KeyId, BinaryPrimitives.ReadUInt16BigEndian(authA.AsSpan(1)));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(authA.AsSpan(3)));
        var plaintext = SpecPeer.Open(_bravo.SessionKeys(nonceA).Receive, authA);
        Assert.NotNull(plaintext);
        Assert.Equal(_bravo.Mac(nonceA, _bravo.Nonce), plaintext[..32]);
        AssertInfo(plaintext[32..], Alpha);

        _alpha.Receive(_bravo.CreateAuth(nonceA, SpecPeer.Info(Bravo.Node, Bravo.Team)));

        Assert.Equal(HandshakeState.Up, _alpha.State);
        Assert.Equal(Bravo, _alpha.Peer);
        var (toAlpha, fromAlpha) = _bravo.SessionKeys(nonceA);
        var data = _alpha.Session!.Seal("envelope"u8);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(3)));
        Assert.Equal("envelope"u8.ToArray(), SpecPeer.Open(fromAlpha, data));
        Assert.True(_alpha.Session.TryOpen(SpecPeer.Seal(toAlpha, SpecPeer.LinkData, _bravo.KeyId, 1, "reply"u8), out var reply, out _));
        Assert.Equal("reply"u8.ToArray(), reply);
    }

    private static void AssertInfo(byte[] info, MeshPeerInfo expected)
    {
        var reader = new MessagePackReader(info);
        var fields = new Dictionary<string, object?>();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString()!;
            fields[key] = key switch
            {
                "node" => reader.ReadBytes()!.Value.ToArray(),
                "team" => reader.ReadString(),
                "max_ver" => reader.ReadInt32(),
                _ => null,
            };
        }

        Assert.True(reader.End);
        Assert.Equal(["max_ver", "node", "team"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Node.ToBytes(), fields["node"]);
        Assert.Equal(expected.Team, fields["team"]);
        Assert.Equal(1, fields["max_ver"]);
    }

    [Fact]
    public void Unknown_info_fields_are_skipped()
    {
        var nonceA = SpecPeer.NonceOf(_alpha.CreateHello());
        _alpha.Receive(_bravo.CreateHello(nonceA));
        var info = SpecPeer.Info(Bravo.Node, Bravo.Team, 2, (ref MessagePackWriter writer) =>
        {
            writer.Write("callsign");
            writer.Write("VIPER-7");
            writer.Write("future");
            writer.WriteArrayHeader(2);
            writer.Write(1);
            writer.WriteNil();
        }, extraEntries: 2);

        _alpha.Receive(_bravo.CreateAuth(nonceA, info));

        Assert.Equal(HandshakeState.Up, _alpha.State);
        Assert.Equal(Bravo with { MaxVersion = 2 }, _alpha.Peer);
    }

    public static TheoryData<string> MalformedInfos => new()
    {
        "empty", "not-a-map", "truncated", "no-team", "empty-team", "no-node", "short-node", "nil-node", "int-team", "huge-version",
        "int-key",
    };

    [Theory]
    [MemberData(nameof(MalformedInfos))]
    public void A_malformed_info_fails_the_handshake_without_throwing(string kind)
    {
        var node = Bravo.Node.ToBytes();
        var info = kind switch
        {
            "empty" => [],
            "not-a-map" => SpecPeer.Pack((ref MessagePackWriter w) => w.WriteArrayHeader(0)),
            "truncated" => SpecPeer.Info(Bravo.Node, Bravo.Team)[..20],
            "no-team" => SpecPeer.Pack((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("node"); w.Write(node); }),
            "empty-team" => SpecPeer.Info(Bravo.Node, ""),
            "no-node" => SpecPeer.Pack((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("team"); w.Write("Cyan"); }),
            "short-node" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(2); w.Write("node"); w.Write(node[..15]); w.Write("team"); w.Write("Cyan");
            }),
            "nil-node" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(2); w.Write("node"); w.WriteNil(); w.Write("team"); w.Write("Cyan");
            }),
            "int-team" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(2); w.Write("node"); w.Write(node); w.Write("team"); w.Write(7);
            }),
            "huge-version" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(3); w.Write("node"); w.Write(node); w.Write("team"); w.Write("Cyan"); w.Write("max_ver"); w.Write(ulong.MaxValue);
            }),
            "int-key" => SpecPeer.Pack((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write(1); w.Write(node); }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var nonceA = SpecPeer.NonceOf(_alpha.CreateHello());
        _alpha.Receive(_bravo.CreateHello(nonceA));

        _alpha.Receive(_bravo.CreateAuth(nonceA, info));

        Assert.Equal(HandshakeState.Failed, _alpha.State);
        Assert.Equal(MeshDropReason.HandshakeAuth, _alpha.Failure);
        Assert.Null(_alpha.Session);
    }

    [Fact]
    public void A_wrong_MAC_under_the_right_session_key_fails()
    {
        var nonceA = SpecPeer.NonceOf(_alpha.CreateHello());
        _alpha.Receive(_bravo.CreateHello(nonceA));

        // Right key, but the MAC over the nonces in the wrong order: what a reflection would carry.
        _alpha.Receive(_bravo.CreateAuth(nonceA, SpecPeer.Info(Bravo.Node, Bravo.Team), mac: _bravo.Mac(nonceA, _bravo.Nonce)));

        Assert.Equal(MeshDropReason.HandshakeAuth, _alpha.Failure);
        Assert.Null(_alpha.Session);
    }

    [Fact]
    public void An_AUTH_before_the_peers_HELLO_is_ignored_not_failed()
    {
        var nonceA = SpecPeer.NonceOf(_alpha.CreateHello());
        var auth = _bravo.CreateAuth(nonceA, SpecPeer.Info(Bravo.Node, Bravo.Team));

        Assert.Empty(_alpha.Receive(auth));
        Assert.Equal(HandshakeState.Pending, _alpha.State);

        _alpha.Receive(_bravo.CreateHello(nonceA));
        _alpha.Receive(auth);
        Assert.Equal(HandshakeState.Up, _alpha.State);
    }

    [Fact]
    public void The_MAC_is_HMAC_of_the_label_and_both_nonces_under_K_auth()
    {
        var kAuth = IndependentHkdf.MeshKey(MissionKey, "auth");
        var sender = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var receiver = Enumerable.Range(16, 16).Select(i => (byte)i).ToArray();

        Assert.Equal(HMACSHA256.HashData(kAuth, (byte[])[.. "takcan/v1/auth"u8, .. sender, .. receiver]), _bravo.Mac(sender, receiver));
        Assert.Equal(new MeshKeySet(MissionKey).Auth, kAuth);
    }
}

using MessagePack;
using TakCan.Protocols.Bridge;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Tests.Mesh.Security;

namespace TakCan.Protocols.Tests.Bridge;

public class OnboardRequestTests
{
    private static readonly NodeId Node = NodeId.Parse("a11ce000000000000000000000000001");
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    [Fact]
    public void An_onboard_request_round_trips_and_its_signature_verifies()
    {
        var request = OnboardRequest.Create(Node, "ANDROID-alice", Time, TestCertificates.Rsa, [TestCertificates.Ecdsa]);

        var read = Assert.IsType<OnboardRequest>(BridgeControlMessage.Read(request.ToBytes()));

        Assert.Equal(request, read);
        Assert.Equal(Time, read.Time);
        Assert.Equal(TestCertificates.Rsa.Thumbprint, read.LoadLeaf().Thumbprint);
        Assert.Equal(TestCertificates.Ecdsa.Thumbprint, Assert.Single(read.LoadIntermediates()).Thumbprint);
        Assert.True(CertificateSignature.Verify(read.LoadLeaf(), read.SignedBytes(), read.Signature));
        Assert.False(CertificateSignature.Verify(read.LoadLeaf(), OnboardRequest.SignedBytes(Node, "ANDROID-bob", read.TimeMilliseconds), read.Signature));
        Assert.False(CertificateSignature.Verify(read.LoadLeaf(), OnboardRequest.SignedBytes(Node, "ANDROID-alice", read.TimeMilliseconds + 1), read.Signature));
    }

    [Fact]
    public void The_wire_form_and_the_signed_bytes_are_those_of_the_spec()
    {
        var request = OnboardRequest.Create(Node, "U", Time, TestCertificates.Ecdsa);
        var expected = SpecPeer.Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(7);
            w.Write("onboard");
            w.Write(1);
            w.Write(Node.ToBytes());
            w.Write("U");
            w.Write(Time.ToUnixTimeMilliseconds());
            w.WriteArrayHeader(1);
            w.Write(TestCertificates.Ecdsa.RawData);
            w.Write(request.Signature);
        });

        Assert.Equal(expected, request.ToBytes());
        Assert.Equal(
            "takcan/v1/onboard"u8.ToArray().Concat(Node.ToBytes()).Concat("U"u8.ToArray()).Concat(new byte[] { 0x00, 0x00, 0x01, 0x99, 0xC8, 0x2C, 0xC0, 0x7B }).ToArray(),
            request.SignedBytes());
    }

    [Fact]
    public void A_bridge_announcement_round_trips()
    {
        var announcement = new BridgeAnnouncement([new BridgeRealm(1), new BridgeRealm(ulong.MaxValue)]);

        Assert.Equal(announcement, BridgeControlMessage.Read(announcement.ToBytes()));
    }

    [Fact]
    public void Another_control_type_is_not_the_bridges()
    {
        var other = SpecPeer.Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("route-request");
            w.Write(1);
            w.Write(42);
        });

        Assert.Null(BridgeControlMessage.Read(other));
    }

    public static TheoryData<string> Malformed => new()
    {
        "not-an-array", "nil-type", "version-2", "short-node", "nil-uid", "empty-uid", "long-uid", "control-uid", "string-time",
        "no-certificates", "five-certificates", "huge-certificate", "empty-signature", "long-signature", "six-fields", "too-long",
        "realm-of-4-bytes", "17-realms",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_bridge_message_is_refused_with_a_reason(string kind)
    {
        var bytes = kind switch
        {
            "not-an-array" => SpecPeer.Pack((ref MessagePackWriter w) => w.WriteMapHeader(0)),
            "nil-type" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(2);
                w.WriteNil();
                w.Write(1);
            }),
            "too-long" => new byte[BridgeControlMessage.MaxBytes + 1],
            "realm-of-4-bytes" or "17-realms" => SpecPeer.Pack((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(3);
                w.Write("bridge");
                w.Write(1);
                var count = kind == "17-realms" ? 17 : 1;
                w.WriteArrayHeader(count);
                for (var i = 0; i < count; i++) w.Write(new byte[kind == "17-realms" ? 8 : 4]);
            }),
            _ => Onboard(kind),
        };

        var error = Assert.Throws<BridgeMessageException>(() => BridgeControlMessage.Read(bytes));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Truncations_and_random_flips_are_refused_or_read_never_anything_else()
    {
        var valid = OnboardRequest.Create(Node, "ANDROID-alice", Time, TestCertificates.Rsa).ToBytes();
        var random = new Random(17);
        for (var length = 0; length < valid.Length; length++)
            Assert.Throws<BridgeMessageException>(() => BridgeControlMessage.Read(valid[..length]));
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                if (BridgeControlMessage.Read(bytes) is OnboardRequest read) _ = read.SignedBytes();
            }
            catch (BridgeMessageException)
            {
            }
        }
    }

    private static byte[] Onboard(string kind) => SpecPeer.Pack((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(kind == "six-fields" ? 6 : 7);
        w.Write("onboard");
        w.Write(kind == "version-2" ? 2 : 1);
        w.Write(kind == "short-node" ? new byte[15] : Node.ToBytes());
        if (kind == "nil-uid") w.WriteNil();
        else
            w.Write(kind switch
            {
                "empty-uid" => "",
                "long-uid" => new string('u', OnboardRequest.MaxUidLength + 1),
                "control-uid" => "ANDROID-\nalice",
                _ => "ANDROID-alice",
            });
        if (kind == "string-time") w.Write("now");
        else w.Write(Time.ToUnixTimeMilliseconds());
        var certificates = kind switch
        {
            "no-certificates" => 0,
            "five-certificates" => 5,
            _ => 1,
        };
        w.WriteArrayHeader(certificates);
        for (var i = 0; i < certificates; i++) w.Write(kind == "huge-certificate" ? new byte[OnboardRequest.MaxCertificateBytes + 1] : TestCertificates.Ecdsa.RawData);
        if (kind == "six-fields") return;
        w.Write(kind switch
        {
            "empty-signature" => [],
            "long-signature" => new byte[513],
            _ => new byte[64],
        });
    });
}

using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace TakCan.Protocols.Tests.Mesh.Security;

/// <summary>HKDF-SHA256 from BouncyCastle: a second implementation to check the .NET one as we call it.</summary>
internal static class IndependentHkdf
{
    public static byte[] Sha256(byte[] ikm, byte[] salt, byte[] info, int length)
    {
        var generator = new HkdfBytesGenerator(new Sha256Digest());
        generator.Init(new HkdfParameters(ikm, salt, info));
        var output = new byte[length];
        generator.GenerateBytes(output, 0, length);
        return output;
    }

    /// <summary>specs/mesh.md, "Keys": salt "TAKCan mesh v1", info "takcan/v1/" + purpose.</summary>
    public static byte[] MeshKey(byte[] missionKey, string purpose, int length = 32) =>
        Sha256(missionKey, "TAKCan mesh v1"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("takcan/v1/" + purpose), length);
}

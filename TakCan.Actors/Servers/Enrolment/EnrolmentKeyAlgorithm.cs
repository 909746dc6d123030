namespace TakCan.Actors.Servers.Enrolment;

/// <summary>The key pair a device generates for its TAK Server client certificate.</summary>
public enum EnrolmentKeyAlgorithm
{
    /// <summary>RSA 2048 with SHA-256: what ATAK and the TAK Server CA use, accepted by every TAK Server.</summary>
    Rsa2048,

    /// <summary>ECDSA P-256 with SHA-256: smaller and faster; TAK Server signs it, older clients' TLS stacks may not.</summary>
    EcdsaP256,
}

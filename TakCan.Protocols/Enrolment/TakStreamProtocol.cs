namespace TakCan.Protocols.Enrolment;

/// <summary>The transport of a TAK Server CoT stream, the last field of an ATAK connect string (<c>host:8089:ssl</c>).</summary>
public enum TakStreamProtocol
{
    /// <summary>Plain TCP (<c>tcp</c>), usually port 8087.</summary>
    Tcp,

    /// <summary>TLS with a client certificate (<c>ssl</c>), usually port 8089.</summary>
    Ssl,

    /// <summary>QUIC (<c>quic</c>), offered by TAK Server 5 and ATAK 5.</summary>
    Quic,
}

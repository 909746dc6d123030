using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>What an enrolment stored and what it got.</summary>
/// <param name="Stored">The key-store names the client certificate, its password and the CA certificates are under.</param>
/// <param name="Server">The CoT stream to connect to with the new certificate.</param>
/// <param name="Subject">The issued certificate's subject, e.g. <c>CN=alice, OU=Ops, O=TAK</c>.</param>
/// <param name="CertificateSha256">The issued certificate's SHA-256 fingerprint.</param>
/// <param name="CaCertificates">How many CA certificates the server returned (and were stored).</param>
/// <param name="ServerCertificateSha256">
/// The enrolment server's TLS certificate fingerprint; with <see cref="EnrolmentTrust.FirstUse"/>, the pin to compare
/// with the server's and to pass to <see cref="EnrolmentTrust.Pinned"/> next time.
/// </param>
public sealed record EnrolmentResult(
    ServerCredentialNames Stored,
    TakConnectString Server,
    string Subject,
    string Issuer,
    DateTime NotAfter,
    string CertificateSha256,
    int CaCertificates,
    string ServerCertificateSha256);

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// One server connection from a data package's <c>cot_streams</c> (index i): <c>connectString{i}</c>,
/// <c>description{i}</c>, <c>enabled{i}</c>, <c>useAuth{i}</c>, <c>enrollForCertificateWithTrust{i}</c>, and the
/// truststore and client certificate named by <c>caLocation</c>/<c>certificateLocation</c> with their passwords.
/// </summary>
public sealed record PackagedServerConnection(
    TakConnectString Server,
    string? Description,
    bool Enabled,
    bool UseAuth,
    bool EnrollForCertificate,
    PackagedCertificate? Truststore,
    PackagedCertificate? ClientCertificate);
